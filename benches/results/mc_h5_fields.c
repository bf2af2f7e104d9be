/* mc_h5_fields.c — the field tables of the results file's records and the compound types
 * built from them (see mc_h5_fields.h). Adding a column is one line here plus the struct field
 * in mc_h5.h. */
#include "mc_h5_fields.h"

#include "mc_h5.h"

#define F(T, f, kind, units)                                                                       \
  { #f, offsetof(T, f), kind, 0, units, 0 }
#define N(T, f, kind, units)                                                                       \
  { #f, offsetof(T, f), kind, 0, units, 3 } /* new in schema 3 */
#define L(T, f, kind, units)                                                                       \
  { #f, offsetof(T, f), kind, 0, units, MC__LATER } /* optional, no schema change */
#define LS(T, f)                                                                                   \
  { #f, offsetof(T, f), MC__STR, sizeof(((T *)0)->f), NULL, MC__LATER } /* optional string */
#define S(T, f)                                                                                    \
  { #f, offsetof(T, f), MC__STR, sizeof(((T *)0)->f), NULL, 0 }
#define REC(T, table, units_array)                                                                 \
  { sizeof(T), table, sizeof table / sizeof *table, units_array }

static const mc__h5_field point_fields[] = {F(mc_result_point, ops, MC__U64, "operations"),
                                            F(mc_result_point, elements, MC__U64, "elements"),
                                            F(mc_result_point, t_ns, MC__U64, "ns"),
                                            F(mc_result_point, requested, MC__U64, "bytes"),
                                            F(mc_result_point, footprint, MC__U64, "bytes"),
                                            F(mc_result_point, rss, MC__U64, "bytes"),
                                            F(mc_result_point, collections, MC__U64, "collections"),
                                            N(mc_result_point, held, MC__U64, "bytes"),
                                            N(mc_result_point, resident, MC__U64, "bytes"),
                                            N(mc_result_point, held_ops, MC__U64, "operations")};
const mc__h5_record mc__h5_point_rec = REC(mc_result_point, point_fields, 1);

static const mc__h5_field event_fields[] = {F(mc_result_event, ops, MC__U64, NULL),
                                            F(mc_result_event, t_ns, MC__U64, NULL),
                                            F(mc_result_event, kind, MC__I32, NULL),
                                            F(mc_result_event, generation, MC__I32, NULL),
                                            F(mc_result_event, pause_ns, MC__U64, "ns"),
                                            F(mc_result_event, bytes_before, MC__U64, "bytes"),
                                            F(mc_result_event, bytes_after, MC__U64, "bytes")};
const mc__h5_record mc__h5_event_rec = REC(mc_result_event, event_fields, 0);

static const mc__h5_field summary_fields[] = {
    S(mc_result_summary, structure),
    S(mc_result_summary, workload),
    S(mc_result_summary, allocator),
    F(mc_result_summary, n, MC__U64, NULL),
    F(mc_result_summary, rep, MC__U32, NULL),
    F(mc_result_summary, ok, MC__I32, NULL),
    S(mc_result_summary, status),
    F(mc_result_summary, ops, MC__U64, NULL),
    F(mc_result_summary, wall_ns, MC__U64, NULL),
    F(mc_result_summary, ops_per_s, MC__F64, NULL),
    F(mc_result_summary, peak_requested, MC__U64, NULL),
    F(mc_result_summary, peak_footprint, MC__U64, NULL),
    F(mc_result_summary, peak_rss, MC__U64, NULL),
    F(mc_result_summary, allocs_per_op, MC__F64, NULL),
    F(mc_result_summary, collections, MC__U64, NULL),
    N(mc_result_summary, peak_held, MC__U64, "bytes"),
    N(mc_result_summary, peak_resident, MC__U64, "bytes"),
    N(mc_result_summary, final_requested, MC__U64, "bytes"),
    N(mc_result_summary, final_held, MC__U64, "bytes"),
    N(mc_result_summary, final_resident, MC__U64, "bytes")};
const mc__h5_record mc__h5_summary_rec = REC(mc_result_summary, summary_fields, 0);

static const mc__h5_field tput_fields[] = {S(mc_result_tput, name),
                                           S(mc_result_tput, structure),
                                           S(mc_result_tput, workload),
                                           S(mc_result_tput, allocator),
                                           F(mc_result_tput, n, MC__U64, NULL),
                                           F(mc_result_tput, rep, MC__U32, NULL),
                                           F(mc_result_tput, iterations, MC__U64, NULL),
                                           F(mc_result_tput, real_ns, MC__F64, NULL),
                                           F(mc_result_tput, cpu_ns, MC__F64, NULL),
                                           F(mc_result_tput, items_per_s, MC__F64, NULL),
                                           F(mc_result_tput, bytes_per_s, MC__F64, NULL),
                                           F(mc_result_tput, max_bytes_used, MC__F64, NULL),
                                           F(mc_result_tput, allocs_per_iter, MC__F64, NULL),
                                           L(mc_result_tput, kind, MC__I32, NULL),
                                           LS(mc_result_tput, vs_structure),
                                           LS(mc_result_tput, vs_workload)};
const mc__h5_record mc__h5_tput_rec = REC(mc_result_tput, tput_fields, 0);

static const mc__h5_field prov_fields[] = {
    S(mc_result_prov, host),    S(mc_result_prov, cpu),
    S(mc_result_prov, kernel),  S(mc_result_prov, compiler),
    S(mc_result_prov, cflags),  S(mc_result_prov, library_versions),
    S(mc_result_prov, version), S(mc_result_prov, command_line)};
const mc__h5_record mc__h5_prov_rec = REC(mc_result_prov, prov_fields, 0);

/* The HDF5 type of one field (a copy the caller closes for strings; native ids otherwise). */
static hid_t field_type(const mc__h5_field *f) {
  switch (f->kind) {
  case MC__U64: return H5T_NATIVE_UINT64;
  case MC__U32: return H5T_NATIVE_UINT32;
  case MC__I32: return H5T_NATIVE_INT32;
  case MC__F64: return H5T_NATIVE_DOUBLE;
  case MC__STR: {
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, f->size);
    H5Tset_strpad(t, H5T_STR_NULLTERM);
    return t;
  }
  }
  return -1;
}

hid_t mc__h5_type_of(const mc__h5_record *rec, hid_t file_type) {
  hid_t t = H5Tcreate(H5T_COMPOUND, rec->size);
  for (size_t i = 0; t >= 0 && i < rec->nfields; i++) {
    const mc__h5_field *f = &rec->fields[i];
    if (f->since && H5Tget_member_index(file_type, f->name) < 0) continue;
    hid_t ft = field_type(f);
    H5Tinsert(t, f->name, f->offset, ft);
    if (f->kind == MC__STR) H5Tclose(ft);
  }
  return t;
}

hid_t mc__h5_type(const mc__h5_record *rec) {
  hid_t t = H5Tcreate(H5T_COMPOUND, rec->size);
  for (size_t i = 0; t >= 0 && i < rec->nfields; i++) {
    const mc__h5_field *f = &rec->fields[i];
    hid_t ft = field_type(f);
    H5Tinsert(t, f->name, f->offset, ft);
    if (f->kind == MC__STR) H5Tclose(ft);
  }
  return t;
}
