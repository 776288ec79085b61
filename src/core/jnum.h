/* A double for a JSON document. JSON has no NaN or Inf, and Jansson's json_real() returns NULL for
 * them, which json_object_set_new() then drops without a word: a key would vanish from the output.
 * gb_json_num() writes null instead, so the key stays and says that the value is not a number. */
#ifndef GB_CORE_JNUM_H
#define GB_CORE_JNUM_H

#include <jansson.h>

json_t *gb_json_num(double v);

#endif
