/* mc_h5_storage.c — see mc_h5_storage.h. Deflated chunks are read raw (H5Dread_chunk) and
 * inflated with zlib into a scratch buffer of exactly one chunk: the stream must end there. */
#include "mc_h5_storage.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Bytes one chunk of d holds (chunk elements x the file type's size), 0 if not computable. */
static size_t chunk_bytes(hid_t dcpl, hid_t ft) {
  hsize_t dims[H5S_MAX_RANK];
  int rank = H5Pget_chunk(dcpl, H5S_MAX_RANK, dims);
  size_t bytes = rank > 0 ? H5Tget_size(ft) : 0;
  for (int i = 0; i < rank && bytes; i++)
    bytes = dims[i] && bytes <= SIZE_MAX / dims[i] ? bytes * (size_t)dims[i] : 0;
  return bytes;
}

/* 1 if the n bytes at src are one zlib stream inflating to exactly `want` bytes. */
static int inflates_to(const unsigned char *src, size_t n, size_t want, unsigned char *scratch) {
  if (n > UINT_MAX || want > UINT_MAX) return 0;
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit(&z) != Z_OK) return 0;
  z.next_in = (unsigned char *)src;
  z.avail_in = (uInt)n;
  z.next_out = scratch;
  z.avail_out = (uInt)want;
  int st = inflate(&z, Z_FINISH);
  size_t got = z.total_out;
  inflateEnd(&z);
  return st == Z_STREAM_END && got == want;
}

/* Checks every chunk of d: exactly `needed` chunks stored (no unwritten part of the extent),
 * each sane. nfilters is 0 or 1 (deflate). */
static int chunks_sane(hid_t d, int nfilters, size_t want, hsize_t needed) {
  hid_t sp = H5Dget_space(d);
  hsize_t nchunks = 0;
  int ok = sp >= 0 && H5Dget_num_chunks(d, sp, &nchunks) >= 0;
  ok = ok && needed > 0 && nchunks == needed; /* every chunk of the extent is stored */
  unsigned char *raw = NULL, *scratch = nfilters ? malloc(want) : NULL;
  size_t rawcap = 0;
  if (nfilters && !scratch) ok = 0;
  for (hsize_t i = 0; ok && i < nchunks; i++) {
    hsize_t offset[H5S_MAX_RANK], size = 0;
    unsigned mask = 0;
    haddr_t addr;
    ok = H5Dget_chunk_info(d, sp, i, offset, &mask, &addr, &size) >= 0;
    if (!ok) break;
    if (nfilters == 0 || (mask & 1u)) { /* stored raw */
      ok = size == want;
      continue;
    }
    if (size == 0 || size > SIZE_MAX / 2) {
      ok = 0;
      break;
    }
    if (size > rawcap) {
      unsigned char *bigger = realloc(raw, (size_t)size);
      if (!bigger) {
        ok = 0;
        break;
      }
      raw = bigger;
      rawcap = (size_t)size;
    }
    uint32_t filters = 0;
    ok = H5Dread_chunk(d, H5P_DEFAULT, offset, &filters, raw) >= 0 &&
         inflates_to(raw, (size_t)size, want, scratch);
  }
  free(raw);
  free(scratch);
  if (sp >= 0) H5Sclose(sp);
  return ok;
}

/* 1 if file type t is one the reader's conversions can take safely: integers, floats and
 * fixed-length strings of sane sizes, and compounds of those whose every member lies inside
 * the compound (a mutated member offset or size made HDF5 1.10's conversion copy from freed
 * memory). depth bounds the recursion into nested compounds. */
static int type_sane(hid_t t, int depth) {
  size_t size = H5Tget_size(t);
  if (size == 0 || size > ((size_t)1 << 20) || depth > 4) return 0;
  switch (H5Tget_class(t)) {
  case H5T_INTEGER:
  case H5T_FLOAT: return size <= 16;
  case H5T_STRING: return H5Tis_variable_str(t) == 0;
  case H5T_COMPOUND: {
    int n = H5Tget_nmembers(t);
    int ok = n > 0 && n <= 256;
    for (int i = 0; ok && i < n; i++) {
      hid_t mt = H5Tget_member_type(t, (unsigned)i);
      size_t off = H5Tget_member_offset(t, (unsigned)i);
      ok = mt >= 0 && off <= size && H5Tget_size(mt) <= size - off && type_sane(mt, depth + 1);
      if (mt >= 0) H5Tclose(mt);
    }
    return ok;
  }
  default: return 0;
  }
}

/* Bytes a read of a dataset in the file of d may produce: deflate inflates at most about
 * 1032:1, so no honest dataset expands beyond 1100 times the file's size (plus 1 MB of slack
 * for rows whose memory form is wider than the file's). */
static hsize_t read_bound(hid_t d) {
  hid_t f = H5Iget_file_id(d);
  hsize_t size = 0;
  if (f < 0 || H5Fget_filesize(f, &size) < 0) size = 0;
  if (f >= 0) H5Fclose(f);
  return size * 1100 + ((hsize_t)1 << 20);
}

/* How many chunks cover the extent of d (chunk dims from dcpl); 0 if not computable. */
static hsize_t chunks_needed(hid_t d, hid_t dcpl) {
  hsize_t cdims[H5S_MAX_RANK], dims[H5S_MAX_RANK];
  int rank = H5Pget_chunk(dcpl, H5S_MAX_RANK, cdims);
  hid_t sp = H5Dget_space(d);
  int r2 = sp < 0 ? -1 : H5Sget_simple_extent_dims(sp, dims, NULL);
  if (sp >= 0) H5Sclose(sp);
  if (rank <= 0 || r2 != rank) return 0;
  hsize_t need = 1;
  for (int i = 0; i < rank; i++) {
    if (cdims[i] == 0) return 0;
    hsize_t k = dims[i] / cdims[i] + (dims[i] % cdims[i] != 0);
    if (k && need > (hsize_t)-1 / k) return 0;
    need *= k;
  }
  return need;
}

int mc_h5_storage_sane(hid_t d, hssize_t npoints, size_t memrow) {
  hid_t dcpl = H5Dget_create_plist(d), ft = H5Dget_type(d);
  int ok = dcpl >= 0 && ft >= 0 && npoints >= 0 && type_sane(ft, 0);
  size_t tsize = ok ? H5Tget_size(ft) : 0;
  /* phantom extents: a declared size is believed only up to what the file can hold */
  size_t row = tsize > memrow ? tsize : memrow;
  if (ok && row && (hsize_t)npoints > read_bound(d) / row) ok = 0;
  if (ok && (H5Pget_external_count(dcpl) != 0)) ok = 0; /* data in another file */
  switch (ok ? H5Pget_layout(dcpl) : H5D_LAYOUT_ERROR) {
  case H5D_CONTIGUOUS: /* every element stored (never-written storage reads as fill values) */
    ok = tsize > 0 && (hsize_t)npoints <= H5Dget_storage_size(d) / tsize;
    break;
  case H5D_COMPACT: ok = tsize > 0 && (hsize_t)npoints <= H5Dget_storage_size(d) / tsize; break;
  case H5D_CHUNKED: {
    int nfilters = H5Pget_nfilters(dcpl);
    unsigned flags = 0, cd[8];
    size_t ncd = 8;
    char name[64];
    if (nfilters == 1)
      ok = H5Pget_filter2(dcpl, 0, &flags, &ncd, cd, sizeof name, name, NULL) == H5Z_FILTER_DEFLATE;
    else
      ok = nfilters == 0;
    size_t want = chunk_bytes(dcpl, ft);
    ok = ok && want > 0 && chunks_sane(d, nfilters, want, chunks_needed(d, dcpl));
    break;
  }
  default: /* H5D_VIRTUAL: data in other files */ ok = 0;
  }
  if (ft >= 0) H5Tclose(ft);
  if (dcpl >= 0) H5Pclose(dcpl);
  return ok;
}
