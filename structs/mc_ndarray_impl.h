/* mc_ndarray_impl.h — internals shared by mc_ndarray.c (lifetime, views, append),
 * mc_ndarray_ops.c (elementwise arithmetic) and mc_ndarray_reduce.c (reductions). Not
 * installed, not part of the API. */
#ifndef MC_NDARRAY_IMPL_H
#define MC_NDARRAY_IMPL_H

#include "mc_ndarray.h"

/* A scalar of any dtype, aligned for all of them (the storage of 0-d temporaries). */
typedef union mc__scalar {
  double f64;
  float f32;
  int64_t i64;
  int32_t i32;
  uint8_t u8;
} mc__scalar;

/* Makes *out a new C-contiguous owner of dtype dt and shape[0..ndim) through al, zero-filled
 * when zero is set. The same checks and errors as mc_ndarray_init; *out untouched on failure. */
int mc__ndarray_new(mc_ndarray *out, mc_alloc al, mc_dtype dt, int ndim, const size_t *shape,
                    int zero);

/* Converts v to dt into *dst. MC_ERANGE (dst untouched) if dt is an integer type and v
 * truncated toward zero does not fit (NaN included). */
int mc__to_dtype(mc_dtype dt, double v, void *dst);

/* Reads the element of dtype dt at p as a double. */
double mc__from_dtype(mc_dtype dt, const void *p);

/* Makes *v a 0-d, non-owning header over the scalar storage s (dtype dt, allocator al).
 * No root is registered: v lives only inside one library call. */
void mc__ndarray_scalar_view(mc_ndarray *v, mc_alloc al, mc_dtype dt, mc__scalar *s);

#endif /* MC_NDARRAY_IMPL_H */
