/* A report folder replaced as a whole. A run writes into a staging folder beside `dir`, first filled with
 * hard links to dir's files (so a run of some claims keeps the others' reports), and swaps it with dir in
 * one renameat2(RENAME_EXCHANGE): a reader sees the old set or the new one, never a mix, and a run that is
 * killed leaves dir as it was. Every report file is written to a temporary and renamed into place, so a
 * hard link to the old file is never written through. The staging folder is `.<name>.stage.<pid>` in
 * dir's parent; one left by a killed run is removed by the next. */
#ifndef GB_REPORT_STAGE_H
#define GB_REPORT_STAGE_H

#include <stddef.h>

/* creates the staging folder of dir (dir may not exist yet); its path goes to stage. GB_EIO with errno */
int gb_stage_open(char *stage, size_t len, const char *dir);
/* swaps the staging folder in for dir and removes the old set */
int gb_stage_commit(const char *stage, const char *dir);
/* removes a staging folder */
void gb_stage_remove(const char *stage);

#endif
