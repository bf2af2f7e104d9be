/* mc_error.h — memcurve's error codes: 0 is success, every failure a negative MC_E* code.
 * Fallible functions return int; results come through out-parameters (libuv's shape). */
#ifndef MC_ERROR_H
#define MC_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

enum {
  MC_OK = 0,
  MC_ENOMEM = -1,  /* an allocation failed; nothing was changed */
  MC_EINVAL = -2,  /* a bad argument: size, shape, alignment, name */
  MC_EEMPTY = -3,  /* pop/peek on an empty structure */
  MC_ERANGE = -4,  /* index out of range, or a size computation overflowed */
  MC_EIO = -5,     /* reading or writing a file failed */
  MC_EFORMAT = -6, /* a file is not what it should be (corrupt, foreign, newer schema) */
  MC_ESTATE = -7,  /* the operation is not allowed in the current state */
  MC_ENOTSUP = -8, /* the allocator or structure does not support the operation */
  MC_EINTR = -9,   /* interrupted (SIGINT/SIGTERM): what finished is kept */
};

/* Returns a static, human-readable string for an MC_E* code (or "unknown error"). */
const char *mc_strerror(int err);

#ifdef __cplusplus
}
#endif
#endif /* MC_ERROR_H */
