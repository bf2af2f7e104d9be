/* mc_list.c — doubly linked list (the shape of Redis's adlist, with a caller-owned header).
 *
 * Invariants of a linear list: head->prev == NULL, tail->next == NULL, len counts the nodes
 * reachable from head by next, and head == NULL iff tail == NULL iff len == 0. Once circular
 * (mc_list_make_circular) tail->next == head and head->prev == tail, and only read-only
 * operations, destroy and abandon are allowed: they all walk exactly len nodes.
 *
 * Collector discipline (mc_alloc.h, MANAGED HEAPS): head and tail are roots; every store of a
 * pointer into a node goes through mc_store; a new node is initialised and linked before the
 * operation returns (no operation allocates twice), and a node is unlinked before it is freed.
 */
#include "mc_list.h"

#include <stdalign.h>

static const size_t node_offsets[] = {offsetof(mc_list_node, next), offsetof(mc_list_node, prev)};
const mc_type mc_list_node_type = {"mc_list.node", MC_TYPE_OFFSETS, node_offsets, 2, NULL, 0};

#define NODE_SIZE sizeof(mc_list_node)
#define NODE_ALIGN alignof(mc_list_node)

int mc_list_init(mc_list *l, mc_alloc al) {
  memset(l, 0, sizeof *l);
  l->al = al;
  mc_root_add(al, &l->head);
  mc_root_add(al, &l->tail);
  return MC_OK;
}

static void forget(mc_list *l) {
  mc_root_remove(l->al, &l->head);
  mc_root_remove(l->al, &l->tail);
  memset(l, 0, sizeof *l);
}

void mc_list_destroy(mc_list *l) {
  if (!l->al.vt) return; /* zeroed */
  mc_list_node *n = l->head;
  for (size_t i = 0; i < l->len; i++) { /* len, not NULL: a ring has no NULL */
    mc_list_node *next = n->next;
    mc_alloc_free(l->al, n, NODE_SIZE, NODE_ALIGN);
    n = next;
  }
  forget(l);
}

void mc_list_abandon(mc_list *l) {
  if (!l->al.vt) return;
  forget(l);
}

/* Allocates a node holding v with both links NULL, or returns NULL. */
static mc_list_node *new_node(mc_list *l, uint64_t v) {
  mc_list_node *n = mc_alloc_new(l->al, NODE_SIZE, NODE_ALIGN, &mc_list_node_type);
  if (!n) return NULL;
  mc_store(l->al, n, &n->next, NULL);
  mc_store(l->al, n, &n->prev, NULL);
  n->value = v;
  return n;
}

/* Links n between a and b (either may be NULL = an end of the list). */
static void link_between(mc_list *l, mc_list_node *a, mc_list_node *n, mc_list_node *b) {
  mc_store(l->al, n, &n->prev, a);
  mc_store(l->al, n, &n->next, b);
  if (a)
    mc_store(l->al, a, &a->next, n);
  else
    l->head = n;
  if (b)
    mc_store(l->al, b, &b->prev, n);
  else
    l->tail = n;
  l->len++;
}

/* Unlinks n from a linear list (n is not freed). */
static void unlink_node(mc_list *l, mc_list_node *n) {
  mc_list_node *a = n->prev, *b = n->next;
  if (a)
    mc_store(l->al, a, &a->next, b);
  else
    l->head = b;
  if (b)
    mc_store(l->al, b, &b->prev, a);
  else
    l->tail = a;
  l->len--;
}

int mc_list_insert_after(mc_list *l, mc_list_node *pos, uint64_t v, mc_list_node **out_node) {
  if (l->circular) return MC_ESTATE;
  mc_list_node *n = new_node(l, v);
  if (!n) return MC_ENOMEM;
  link_between(l, pos, n, pos ? pos->next : l->head);
  if (out_node) *out_node = n;
  return MC_OK;
}

int mc_list_push_front(mc_list *l, uint64_t v) { return mc_list_insert_after(l, NULL, v, NULL); }

int mc_list_push_back(mc_list *l, uint64_t v) { return mc_list_insert_after(l, l->tail, v, NULL); }

int mc_list_remove(mc_list *l, mc_list_node *node, uint64_t *out) {
  if (l->circular) return MC_ESTATE;
  if (out) *out = node->value;
  unlink_node(l, node);
  mc_alloc_free(l->al, node, NODE_SIZE, NODE_ALIGN);
  return MC_OK;
}

int mc_list_pop_front(mc_list *l, uint64_t *out) {
  if (l->circular) return MC_ESTATE;
  if (!l->head) return MC_EEMPTY;
  return mc_list_remove(l, l->head, out);
}

int mc_list_pop_back(mc_list *l, uint64_t *out) {
  if (l->circular) return MC_ESTATE;
  if (!l->tail) return MC_EEMPTY;
  return mc_list_remove(l, l->tail, out);
}

int mc_list_reverse(mc_list *l) {
  if (l->circular) return MC_ESTATE;
  for (mc_list_node *n = l->head; n;) {
    mc_list_node *next = n->next;
    mc_store(l->al, n, &n->next, n->prev);
    mc_store(l->al, n, &n->prev, next);
    n = next;
  }
  mc_list_node *h = l->head;
  l->head = l->tail;
  l->tail = h;
  return MC_OK;
}

int mc_list_splice(mc_list *dst, mc_list_node *pos, mc_list *src) {
  if (src == dst || src->al.vt != dst->al.vt || src->al.ctx != dst->al.ctx) return MC_EINVAL;
  if (src->circular || dst->circular) return MC_ESTATE;
  if (src->len == 0) return MC_OK;
  mc_list_node *first = src->head, *last = src->tail;
  mc_list_node *after = pos ? pos->next : dst->head;
  mc_store(dst->al, first, &first->prev, pos);
  mc_store(dst->al, last, &last->next, after);
  if (pos)
    mc_store(dst->al, pos, &pos->next, first);
  else
    dst->head = first;
  if (after)
    mc_store(dst->al, after, &after->prev, last);
  else
    dst->tail = last;
  dst->len += src->len;
  src->head = src->tail = NULL;
  src->len = 0;
  return MC_OK;
}

int mc_list_make_circular(mc_list *l) {
  if (l->circular) return MC_ESTATE;
  if (l->head) {
    mc_store(l->al, l->tail, &l->tail->next, l->head);
    mc_store(l->al, l->head, &l->head->prev, l->tail);
  }
  l->circular = 1;
  return MC_OK;
}

mc_list_node *mc_list_find(const mc_list *l, uint64_t v) {
  mc_list_node *n = l->head;
  for (size_t i = 0; i < l->len; i++, n = n->next)
    if (n->value == v) return n;
  return NULL;
}

int mc_list_foreach(const mc_list *l, mc_list_visit_fn fn, void *arg) {
  mc_list_node *n = l->head;
  for (size_t i = 0; i < l->len; i++) {
    mc_list_node *next = n->next;
    int rc = fn(n, arg);
    if (rc) return rc;
    n = next;
  }
  return 0;
}
