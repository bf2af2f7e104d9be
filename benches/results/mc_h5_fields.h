/* mc_h5_fields.h — each record of the results file described once: one field table per row
 * type (name, offset, kind, units), from which mc_h5.c builds the HDF5 compound type and writes
 * the `<field>_units` (and the curve's `units`) attributes. Internal to results/. */
#ifndef MC_H5_FIELDS_H
#define MC_H5_FIELDS_H

#include <hdf5.h>
#include <stddef.h>

typedef enum mc__h5_kind { MC__U64, MC__U32, MC__I32, MC__F64, MC__STR } mc__h5_kind;

#define MC__LATER (-1) /* mc__h5_field.since of an optional field added within a schema */

typedef struct mc__h5_field {
  const char *name; /* the member name in the file */
  size_t offset;    /* in the C struct */
  mc__h5_kind kind;
  size_t size;       /* MC__STR: bytes, NUL included */
  const char *units; /* written as <name>_units; NULL: none */
  int since;         /* 0: in every file; else the schema that added it, or MC__LATER for a
                        field added without a schema change (absent: the reader leaves it
                        zero and mc_h5.c fills what it can) */
} mc__h5_field;

typedef struct mc__h5_record {
  size_t size; /* sizeof the C struct */
  const mc__h5_field *fields;
  size_t nfields;
  int units_array; /* 1: also a `units` attribute, one string per field */
} mc__h5_record;

extern const mc__h5_record mc__h5_point_rec;   /* mc_result_point: /runs/.../curve */
extern const mc__h5_record mc__h5_event_rec;   /* mc_result_event: /runs/.../events */
extern const mc__h5_record mc__h5_summary_rec; /* mc_result_summary: /summary */
extern const mc__h5_record mc__h5_tput_rec;    /* mc_result_tput: /throughput */
extern const mc__h5_record mc__h5_prov_rec;    /* mc_result_prov: /provenance */

/* The compound type of rec (the caller closes it), or a negative id on failure. */
hid_t mc__h5_type(const mc__h5_record *rec);

/* The memory type to read a dataset whose file type is file_type: every field of rec, except
 * those added by a later schema (since != 0) that file_type lacks. A missing field of the
 * first schema still fails the read. The caller closes it. */
hid_t mc__h5_type_of(const mc__h5_record *rec, hid_t file_type);

#endif /* MC_H5_FIELDS_H */
