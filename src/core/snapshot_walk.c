/* snapshot_walk.c: a snapshot line read one node at a time.  Parsed
 * whole, json-c's objects for a 100,000-node line (104 MiB) take about a
 * GiB; here the text is scanned (json_scan.h) and json-c is handed the
 * document without its "tree", then each node object without its
 * "children", so at most one node's objects live at a time.  Every byte
 * is still checked: the pieces by json-c, the rest (the tree, the
 * children arrays and the commas between nodes) by the walk. */
#include "glass/snapshot_read.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "glass/json_scan.h"
#include "glass/snapshot_fields.h"
#include "glass/xalloc.h"

struct walk {
	const char *end;
	struct json_tokener *tok;
	struct tree *t;
	size_t max_nodes;
	struct errbuf *err;
	/* the children read so far of every node being read, deepest last */
	struct node **kids;
	size_t n_kids, cap_kids;
	/* the text is spent (snapshot_parse_spent): pages the walk has
	 * passed go back to the system; 0: the caller keeps the text */
	uintptr_t page;
};

/* A line's pages go back in steps of this much: a handful of madvise
 * calls for a fleet's 100 MiB line, none for a small one. */
#define GIVE_BACK_STEP ((uintptr_t)1 << 20)

/* The whole pages between *from and to, read for the last time: the
 * bytes of siblings already made nodes.  Every other byte still wanted
 * (the document without its tree, a node's own members that are parsed
 * after its children) lies before the array that holds them. */
static void give_back(struct walk *w, const char **from, const char *to)
{
	uintptr_t a = ((uintptr_t)*from + w->page - 1) & ~(w->page - 1);
	uintptr_t b = (uintptr_t)to & ~(w->page - 1);

	if (!w->page || b < a || b - a < GIVE_BACK_STEP)
		return;
	/* on failure the pages only stay */
	(void)madvise((void *)a, (size_t)(b - a), MADV_DONTNEED);
	*from = (const char *)b;
}

static const char *not_json(struct walk *w, const char *why)
{
	errbuf_set(w->err, "not JSON: %s", why);
	return NULL;
}

/* An object with one member cut out (the "tree" of the document, the
 * "children" of a node): the rest is the bytes [obj, head_end) followed
 * by [tail, end), itself an object. */
struct cut {
	const char *obj, *head_end, *tail, *end;
	bool cut;
};

/* Reads the member's value at val; returns one past it, or NULL with
 * w->err. */
typedef const char *member_fn(struct walk *w, const char *val, void *arg);

/* The object at p ('{'): its member `key` whose value opens with `open`
 * goes to fn; the other members are only scanned.  One past the object,
 * or NULL with w->err. */
static const char *object_cut(struct walk *w, const char *p, const char *key, char open,
			      member_fn *fn, void *arg, struct cut *c)
{
	const char *why = NULL, *comma = NULL; /* the comma before this member */
	size_t klen = strlen(key);

	*c = (struct cut){.obj = p};
	p = json_scan_ws(p + 1, w->end);
	if (p < w->end && *p == '}')
		return c->end = p + 1;
	for (;;) {
		const char *k = p, *v;

		if (p >= w->end || *p != '"')
			return not_json(w, p >= w->end ? "the text ends within an object" : "a key expected");
		if (!(p = json_scan_string(p, w->end, &why)))
			return not_json(w, why);
		bool match = (size_t)(p - k) == klen + 2 && memcmp(k + 1, key, klen) == 0;
		p = json_scan_ws(p, w->end);
		if (p >= w->end || *p != ':')
			return not_json(w, "':' expected after a key");
		v = json_scan_ws(p + 1, w->end);
		if (match && v < w->end && *v == open) {
			if (c->cut) {
				errbuf_set(w->err, "an object with two \"%s\"", key);
				return NULL;
			}
			c->cut = true;
			c->head_end = comma ? comma : k;
			if (!(p = fn(w, v, arg)))
				return NULL;
			c->tail = p;
			if (!comma) { /* the first member: the comma after it goes */
				c->tail = json_scan_ws(p, w->end);
				if (c->tail < w->end && *c->tail == ',')
					c->tail++;
			}
		} else if (!(p = json_scan_value(v, w->end, &why))) {
			return not_json(w, why);
		}
		p = json_scan_ws(p, w->end);
		if (p < w->end && *p == ',') {
			comma = p;
			p = json_scan_ws(p + 1, w->end);
		} else if (p < w->end && *p == '}') {
			return c->end = p + 1;
		} else {
			return not_json(w, p >= w->end ? "the text ends within an object" : "',' or '}' expected");
		}
	}
}

/* The object without its cut member, as json-c objects; NULL with w->err. */
static json_object *parse_cut(struct walk *w, const struct cut *c)
{
	const char *last = c->cut ? c->tail : c->obj;
	size_t head = (size_t)((c->cut ? c->head_end : c->end) - c->obj);
	size_t rest = (size_t)(c->end - last);
	json_object *o;

	if (head > INT_MAX || rest > INT_MAX) {
		errbuf_set(w->err, "an object over 2 GiB");
		return NULL;
	}
	json_tokener_reset(w->tok);
	o = json_tokener_parse_ex(w->tok, c->obj, (int)head);
	if (c->cut) {
		/* the head alone is an object that has not ended */
		if (o || json_tokener_get_error(w->tok) != json_tokener_continue) {
			json_object_put(o);
			not_json(w, o ? "an object ends early" : json_tokener_error_desc(json_tokener_get_error(w->tok)));
			return NULL;
		}
		o = json_tokener_parse_ex(w->tok, c->tail, (int)rest);
	}
	enum json_tokener_error jerr = json_tokener_get_error(w->tok);
	if (!o || jerr != json_tokener_success || json_tokener_get_parse_end(w->tok) != rest) {
		json_object_put(o);
		not_json(w, o ? "an object ends early" : json_tokener_error_desc(jerr));
		return NULL;
	}
	return o;
}

static const char *walk_node(struct walk *w, const char *p, int depth, struct node **out);

/* "children": each node read (its own children first) and kept on
 * w->kids until their parent is read. */
static const char *walk_children(struct walk *w, const char *p, void *arg)
{
	int depth = *(int *)arg;
	const char *spent;

	p = json_scan_ws(p + 1, w->end);
	if (p < w->end && *p == ']')
		return p + 1;
	for (spent = p;;) {
		struct node *n;

		if (p >= w->end)
			return not_json(w, "the text ends within an array");
		if (!(p = walk_node(w, p, depth + 1, &n)))
			return NULL;
		give_back(w, &spent, p);
		if (w->n_kids == w->cap_kids) {
			w->cap_kids = w->cap_kids ? 2 * w->cap_kids : 64;
			w->kids = xreallocarray(w->kids, w->cap_kids, sizeof(*w->kids));
		}
		w->kids[w->n_kids++] = n;
		p = json_scan_ws(p, w->end);
		if (p < w->end && *p == ',')
			p = json_scan_ws(p + 1, w->end);
		else if (p < w->end && *p == ']')
			return p + 1;
		else
			return not_json(w, p >= w->end ? "the text ends within an array" : "',' or ']' expected");
	}
}

/* The node object at p and its subtree; one past it, or NULL with w->err. */
static const char *walk_node(struct walk *w, const char *p, int depth, struct node **out)
{
	size_t base = w->n_kids;
	struct node *n = NULL;
	json_object *o;
	struct cut c;

	/* before its children are read: the recursion stays bounded */
	if (depth > SNAPSHOT_MAX_DEPTH) {
		errbuf_set(w->err, "the tree is deeper than %d levels", SNAPSHOT_MAX_DEPTH);
		return NULL;
	}
	if (*p != '{') {
		errbuf_set(w->err, "a node without a valid id, kind and name");
		return NULL;
	}
	if (object_cut(w, p, "children", '[', walk_children, &depth, &c) && (o = parse_cut(w, &c))) {
		n = snapshot_read_node(w->t, o, depth, w->max_nodes, w->err);
		json_object_put(o);
	}
	for (size_t i = base; i < w->n_kids; i++) {
		if (n)
			node_add_child(n, w->kids[i]);
		else
			node_free(w->kids[i]);
	}
	w->n_kids = base;
	*out = n;
	return n ? c.end : NULL;
}

/* The document's "tree", only found here: it is read once the rest of
 * the document said it is a snapshot this glass reads. */
static const char *find_tree(struct walk *w, const char *p, void *arg)
{
	const char *why = NULL, *end = json_scan_value(p, w->end, &why);

	*(const char **)arg = p;
	return end ? end : not_json(w, why);
}

/* A line that is not an object: whether it is JSON at all. */
static struct tree *not_an_object(struct walk *w, const char *p)
{
	const char *why = "empty";

	if (p < w->end && (p = json_scan_value(p, w->end, &why)) && json_scan_ws(p, w->end) == w->end)
		errbuf_set(w->err, "not a glass snapshot (not a JSON object)");
	else
		not_json(w, p && p < w->end ? "trailing bytes" : why);
	return NULL;
}

static struct tree *parse(const char *text, size_t len, size_t max_nodes, uintptr_t page, struct errbuf *err);

struct tree *snapshot_parse(const char *text, size_t len, struct errbuf *err)
{
	return snapshot_parse_max(text, len, 0, err);
}

struct tree *snapshot_parse_spent(char *text, size_t len, size_t max_nodes, struct errbuf *err)
{
	long page = sysconf(_SC_PAGESIZE);

	return parse(text, len, max_nodes, page > 0 && !(page & (page - 1)) ? (uintptr_t)page : 0, err);
}

struct tree *snapshot_parse_max(const char *text, size_t len, size_t max_nodes, struct errbuf *err)
{
	return parse(text, len, max_nodes, 0, err);
}

static struct tree *parse(const char *text, size_t len, size_t max_nodes, uintptr_t page, struct errbuf *err)
{
	struct walk w = {.end = text + len, .max_nodes = max_nodes, .err = err, .page = page};
	const char *p = json_scan_ws(text, w.end), *tree_at = NULL;
	json_object *doc = NULL, *in_doc = NULL;
	struct tree *t = NULL;
	struct cut c;

	if (p >= w.end || *p != '{')
		return not_an_object(&w, p);
	if (!object_cut(&w, p, "tree", '{', find_tree, &tree_at, &c))
		return NULL;
	if (json_scan_ws(c.end, w.end) != w.end) {
		not_json(&w, "trailing bytes");
		return NULL;
	}
	w.tok = json_tokener_new_ex(JSON_SCAN_MAX_DEPTH);
	if (!w.tok)
		fatal("out of memory (json tokener)");
	if ((doc = parse_cut(&w, &c))) {
		/* a "tree" that is no object stays in doc, and is no node */
		bool has_tree = c.cut || (json_object_object_get_ex(doc, "tree", &in_doc) && in_doc);
		if ((t = snapshot_read_doc(doc, has_tree, err)) && !c.cut)
			t->root = snapshot_read_node(t, in_doc, 0, max_nodes, err);
		json_object_put(doc);
	}
	if (t && c.cut) {
		w.t = t;
		walk_node(&w, tree_at, 0, &t->root);
	}
	json_tokener_free(w.tok);
	free(w.kids);
	if (t && (!t->root || t->root->kind != NODE_SITE)) {
		if (t->root)
			errbuf_set(err, "the tree's root is not the site");
		tree_free(t);
		return NULL;
	}
	return t;
}
