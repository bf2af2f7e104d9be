/* memcurve.h — umbrella header: every public header of the library. */
#ifndef MEMCURVE_H
#define MEMCURVE_H
#include "mc_alloc.h"
#include "mc_arena.h"
#include "mc_boehm.h"
#include "mc_boxed.h"
#include "mc_counting.h"
#include "mc_error.h"
#include "mc_failing.h"
#include "mc_gc.h"
#include "mc_list.h"
#include "mc_ndarray.h"
#include "mc_pairing.h"
#include "mc_pool.h"
#include "mc_pq.h"
#include "mc_stack.h"
#include "mc_system.h"
#endif /* MEMCURVE_H */
