"""What the bench scripts share: a report's JSON written beside its Markdown, under the output folder."""
import json
import os


def write_json(out, name, obj):
    """out/name as indented JSON (the folder made if missing); returns the Markdown file's path beside it"""
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")
    return os.path.join(out, name + ".md")
