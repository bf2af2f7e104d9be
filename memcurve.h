/* memcurve.h — umbrella header: every public header of the library. */
#ifndef MEMCURVE_H
#define MEMCURVE_H
#include "mc_error.h"
#include "mc_alloc.h"
#include "mc_system.h"
#endif /* MEMCURVE_H */
