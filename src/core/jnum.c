#include "core/jnum.h"
#include <math.h>

json_t *gb_json_num(double v) { return isfinite(v) ? json_real(v) : json_null(); }
