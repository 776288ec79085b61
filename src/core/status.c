#include "core/status.h"

const char *gb_strerror(int status)
{
    switch (status) {
    case GB_OK: return "success";
    case GB_EINVAL: return "invalid argument";
    case GB_ENOMEM: return "out of memory";
    case GB_EIO: return "input/output error";
    case GB_ENONFIN: return "NaN or Inf encountered";
    case GB_EMAXITER: return "iteration limit reached without convergence";
    case GB_EEXT: return "external tool failed";
    case GB_ENOENT: return "no such stored result";
    default: return "unknown status";
    }
}
