/* mc_h5_storage.h — checks a dataset's storage before H5Dread trusts it.
 *
 * HDF5 1.10 believes the sizes a file states: a compact dataset shorter than its elements, a
 * chunk stored with fewer bytes than a chunk holds, a deflated chunk that inflates short, or a
 * compound member placed outside its compound made H5Dread copy past or from freed buffers (found
 * by fuzz_results on mutated results files; a 1.10 library bug that no error handler catches). The
 * reader calls this first. */
#ifndef MC_H5_STORAGE_H
#define MC_H5_STORAGE_H

#include <hdf5.h>

/* 1 if dataset d, of npoints elements, can be read whole without HDF5 reading past what the
 * file holds: a file type of integers, floats, fixed-length strings and compounds of them
 * whose members lie inside the compound; contiguous storage; compact storage of at least npoints
 * elements; chunks that are either stored raw at exactly one chunk's bytes or deflated (the only
 * filter memcurve writes) to a stream that inflates to exactly one chunk's bytes. 0 for anything
 * else, including other filter pipelines (which this reader cannot vouch for). Phantom extents are
 * refused too: contiguous storage must hold every element and every chunk of the extent must be
 * stored (a dataset declared with millions of rows and never written reads as fill values), no
 * external storage, and npoints rows of max(file type size, memrow) bytes must not exceed 1100
 * times the file's size (deflate's ratio is about 1032:1 at most). */
int mc_h5_storage_sane(hid_t d, hssize_t npoints, size_t memrow);

#endif /* MC_H5_STORAGE_H */
