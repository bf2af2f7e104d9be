/* mc_pairing.c — pairing heap (Fredman, Sedgewick, Sleator, Tarjan, "The pairing heap: a new
 * form of self-adjusting heap", Algorithmica 1986), two-pass variant.
 *
 * Representation: a heap-ordered multiway tree in child/sibling form. Each node has its first
 * child, its right sibling, and prev: the left sibling, or the parent for a first child (so a
 * node can be cut out in O(1) for decrease-key). Invariant: a node's key <= its descendants'.
 *
 * Operations: link(a, b) makes the root with the larger key the first child of the other.
 * push = link(root, new node); meld = link(root1, root2); decrease-key cuts the node's subtree
 * out and links it with the root. pop removes the root and combines its children in two passes:
 * left to right, link them in pairs, pushing each result onto a stack threaded through the
 * sibling fields; then pop the stack (right to left), linking each into the accumulated result.
 * Nothing recurses: a heap of n pushes has a root with n - 1 children, and a recursive pass would
 * then need O(n) C stack.
 *
 * destroy frees the tree seen as a binary tree (left = child, right = sibling) by rotations:
 * while a node has a left child, rotate it right; a node without a left child is freed and the
 * walk continues to its right. O(n) time, O(1) space (the classic stackless tree deletion).
 *
 * Collector discipline: h->root is a root; every pointer store into a node goes through
 * mc_store; push links the new node before returning; pop unlinks before freeing.
 */
#include "mc_pairing.h"

#include <stdalign.h>
#include <string.h>

static const size_t node_offsets[] = {offsetof(mc_pairing_node, child),
                                      offsetof(mc_pairing_node, sibling),
                                      offsetof(mc_pairing_node, prev)};
const mc_type mc_pairing_node_type = {"mc_pairing.node", MC_TYPE_OFFSETS, node_offsets, 3, NULL, 0};

#define NODE_SIZE sizeof(mc_pairing_node)
#define NODE_ALIGN alignof(mc_pairing_node)

int mc_pairing_init(mc_pairing *h, mc_alloc al) {
  memset(h, 0, sizeof *h);
  h->al = al;
  mc_root_add(al, &h->root);
  return MC_OK;
}

void mc_pairing_destroy(mc_pairing *h) {
  if (!h->al.vt) return; /* zeroed */
  mc_pairing_node *n = h->root;
  while (n) {
    mc_pairing_node *c = n->child;
    if (c) { /* rotate right: c takes n's place, n becomes c's right (sibling) */
      mc_store(h->al, n, &n->child, c->sibling);
      mc_store(h->al, c, &c->sibling, n);
      n = c;
    } else {
      mc_pairing_node *next = n->sibling;
      mc_alloc_free(h->al, n, NODE_SIZE, NODE_ALIGN);
      n = next;
    }
  }
  mc_root_remove(h->al, &h->root);
  memset(h, 0, sizeof *h);
}

/* Links two roots (sibling and prev NULL, a != b); returns the new root. */
static mc_pairing_node *link(mc_alloc al, mc_pairing_node *a, mc_pairing_node *b) {
  if (b->key < a->key) {
    mc_pairing_node *t = a;
    a = b;
    b = t;
  }
  mc_pairing_node *c = a->child;
  mc_store(al, b, &b->sibling, c);
  if (c) mc_store(al, c, &c->prev, b);
  mc_store(al, b, &b->prev, a);
  mc_store(al, a, &a->child, b);
  return a;
}

int mc_pairing_push(mc_pairing *h, double key, uint64_t value, mc_pairing_node **out_node) {
  mc_pairing_node *n = mc_alloc_new(h->al, NODE_SIZE, NODE_ALIGN, &mc_pairing_node_type);
  if (!n) return MC_ENOMEM;
  mc_store(h->al, n, &n->child, NULL);
  mc_store(h->al, n, &n->sibling, NULL);
  mc_store(h->al, n, &n->prev, NULL);
  n->key = key;
  n->value = value;
  h->root = h->root ? link(h->al, h->root, n) : n; /* root slot: a plain store */
  h->len++;
  if (out_node) *out_node = n;
  return MC_OK;
}

/* Detaches n from its neighbours (turning it into a free-standing root). */
static void detach(mc_alloc al, mc_pairing_node *n) {
  mc_pairing_node *p = n->prev, *s = n->sibling;
  if (p) {
    if (p->child == n)
      mc_store(al, p, &p->child, s);
    else
      mc_store(al, p, &p->sibling, s);
  }
  if (s) mc_store(al, s, &s->prev, p);
  mc_store(al, n, &n->sibling, NULL);
  mc_store(al, n, &n->prev, NULL);
}

/* Combines the sibling list starting at first into one tree (two-pass, iterative). */
static mc_pairing_node *combine(mc_alloc al, mc_pairing_node *first) {
  mc_pairing_node *stack = NULL; /* pass-1 results, rightmost on top, threaded via sibling */
  while (first) {
    mc_pairing_node *a = first, *b = a->sibling;
    first = b ? b->sibling : NULL;
    mc_store(al, a, &a->sibling, NULL);
    mc_store(al, a, &a->prev, NULL);
    if (b) {
      mc_store(al, b, &b->sibling, NULL);
      mc_store(al, b, &b->prev, NULL);
      a = link(al, a, b);
    }
    mc_store(al, a, &a->sibling, stack);
    stack = a;
  }
  if (!stack) return NULL;
  mc_pairing_node *res = stack;
  stack = stack->sibling;
  mc_store(al, res, &res->sibling, NULL);
  while (stack) {
    mc_pairing_node *n = stack;
    stack = n->sibling;
    mc_store(al, n, &n->sibling, NULL);
    res = link(al, res, n);
  }
  return res;
}

int mc_pairing_pop(mc_pairing *h, double *key, uint64_t *value) {
  mc_pairing_node *r = h->root;
  if (!r) return MC_EEMPTY;
  if (key) *key = r->key;
  if (value) *value = r->value;
  mc_pairing_node *kids = r->child;
  mc_store(h->al, r, &r->child, NULL);
  if (kids) mc_store(h->al, kids, &kids->prev, NULL);
  /* The children are reachable only from locals until the root store below; combine does not
   * allocate, so no collection can run meanwhile. */
  h->root = combine(h->al, kids);
  h->len--;
  mc_alloc_free(h->al, r, NODE_SIZE, NODE_ALIGN);
  return MC_OK;
}

int mc_pairing_peek(const mc_pairing *h, double *key, uint64_t *value) {
  if (!h->root) return MC_EEMPTY;
  if (key) *key = h->root->key;
  if (value) *value = h->root->value;
  return MC_OK;
}

int mc_pairing_decrease_key(mc_pairing *h, mc_pairing_node *node, double key) {
  if (!(key <= node->key)) return MC_EINVAL; /* also rejects NaN */
  node->key = key;
  if (node == h->root) return MC_OK;
  detach(h->al, node);
  h->root = link(h->al, h->root, node);
  return MC_OK;
}

int mc_pairing_meld(mc_pairing *dst, mc_pairing *src) {
  if (src == dst || src->al.vt != dst->al.vt || src->al.ctx != dst->al.ctx) return MC_EINVAL;
  if (!src->root) return MC_OK;
  dst->root = dst->root ? link(dst->al, dst->root, src->root) : src->root;
  dst->len += src->len;
  src->root = NULL;
  src->len = 0;
  return MC_OK;
}
