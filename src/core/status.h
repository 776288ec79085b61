/* Status codes of the greenbound library (GSL style: functions return a status,
 * results go through pointers; the command line maps a status to an exit code). */
#ifndef GB_CORE_STATUS_H
#define GB_CORE_STATUS_H

enum {
    GB_OK = 0,
    GB_EINVAL,   /* bad argument */
    GB_ENOMEM,   /* allocation failed */
    GB_EIO,      /* file could not be written or read */
    GB_ENONFIN,  /* NaN or Inf appeared */
    GB_EMAXITER, /* iteration did not converge */
    GB_EEXT,     /* an external tool failed */
    GB_ENOENT    /* a stored result does not exist (yet) */
};

const char *gb_strerror(int status);

#endif
