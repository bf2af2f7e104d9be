/* mc_error.c — the text of each MC_E* code. */
#include "mc_error.h"

const char *mc_strerror(int err) {
  switch (err) {
  case MC_OK: return "success";
  case MC_ENOMEM: return "out of memory";
  case MC_EINVAL: return "invalid argument";
  case MC_EEMPTY: return "structure is empty";
  case MC_ERANGE: return "out of range or size overflow";
  case MC_EIO: return "input/output error";
  case MC_EFORMAT: return "bad file format";
  case MC_ESTATE: return "operation not allowed in this state";
  case MC_ENOTSUP: return "operation not supported";
  case MC_EINTR: return "interrupted";
  default: return "unknown error";
  }
}
