/* cgroup_parse.c: pure parsers for cgroup control files (see cgroup_parse.h).
 *
 * Everything works on (pointer, length) spans because the buffers come
 * straight from read() and carry no NUL.  strtoull/strtod are avoided for
 * the same reason, and because strtod follows LC_NUMERIC, which the TUI
 * sets from the user's locale while the kernel always writes '.'. */
#include "glass/cgroup_parse.h"

#include <stddef.h>
#include <string.h>

#define UNKNOWN GLASS_U64_UNKNOWN

/* v1 "unlimited" is PAGE_COUNTER_MAX pages rounded to a page, just under
 * 2^63 and different per page size; no real limit comes near 2^62. */
#define V1_MEM_UNLIMITED_MIN (UINT64_C(1) << 62)

struct span {
	const char *p;
	size_t n;
};

/* Maps a key of a keyed file to the uint64_t field it fills. */
struct key_slot {
	const char *key;
	size_t offset;
};

static struct span span_of(const char *buf, size_t len)
{
	/* A NULL buffer would make even p + 0 undefined behaviour. */
	static const char empty[] = "";
	struct span s = { buf ? buf : empty, buf ? len : 0 };
	return s;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool span_eq(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && memcmp(s.p, lit, n) == 0;
}

static struct span span_trim(struct span s)
{
	while (s.n && is_blank(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_blank(s.p[s.n - 1]))
		s.n--;
	return s;
}

static void span_skip(struct span *s, size_t n)
{
	s->p += n;
	s->n -= n;
}

/* Splits the next line off *rest; *terminated tells whether it had its '\n'. */
static bool next_line(struct span *rest, struct span *line, bool *terminated)
{
	if (rest->n == 0)
		return false;
	const char *nl = memchr(rest->p, '\n', rest->n);
	line->p = rest->p;
	line->n = nl ? (size_t)(nl - rest->p) : rest->n;
	*terminated = nl != NULL;
	span_skip(rest, nl ? line->n + 1 : line->n);
	return true;
}

static bool next_field(struct span *rest, struct span *field)
{
	*rest = span_trim(*rest);
	if (rest->n == 0)
		return false;
	size_t n = 0;
	while (n < rest->n && !is_blank(rest->p[n]))
		n++;
	field->p = rest->p;
	field->n = n;
	span_skip(rest, n);
	return true;
}

/* Splits "key=value"; false when there is no '='. */
static bool split_pair(struct span field, struct span *key, struct span *value)
{
	const char *eq = memchr(field.p, '=', field.n);
	if (!eq)
		return false;
	key->p = field.p;
	key->n = (size_t)(eq - field.p);
	value->p = eq + 1;
	value->n = field.n - key->n - 1;
	return true;
}

/* Digits only: a sign, a space or a 21st digit all make it unknown. */
static uint64_t span_u64(struct span s)
{
	if (s.n == 0)
		return UNKNOWN;
	uint64_t v = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (!is_digit(s.p[i]))
			return UNKNOWN;
		uint64_t d = (uint64_t)(s.p[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return UNKNOWN;
		v = v * 10 + d;
	}
	return v;
}

/* "12.34" as the kernel prints PSI averages; NaN for anything else. */
static double span_decimal(struct span s)
{
	const char *dot = memchr(s.p, '.', s.n);
	struct span ipart = { s.p, dot ? (size_t)(dot - s.p) : s.n };
	uint64_t ip = span_u64(ipart);
	if (!value_u64_known(ip))
		return GLASS_UNKNOWN;
	if (!dot)
		return (double)ip;
	struct span fpart = { dot + 1, s.n - ipart.n - 1 };
	uint64_t fp = span_u64(fpart);
	if (!value_u64_known(fp))
		return GLASS_UNKNOWN;
	double scale = 1.0;
	for (size_t i = 0; i < fpart.n; i++)
		scale *= 10.0;
	return (double)ip + (double)fp / scale;
}

/* "MAJ:MIN", the key of every per-device line. */
static bool span_is_devnum(struct span s)
{
	const char *colon = memchr(s.p, ':', s.n);
	if (!colon)
		return false;
	struct span major = { s.p, (size_t)(colon - s.p) };
	struct span minor = { colon + 1, s.n - major.n - 1 };
	return value_u64_known(span_u64(major)) && value_u64_known(span_u64(minor));
}

/* An unknown term makes the sum unknown: a partial sum would read as a
 * sudden drop and then a burst in the rates computed from it. */
static void sum_add(uint64_t *acc, uint64_t v)
{
	if (!value_u64_known(*acc) || !value_u64_known(v) || v >= UNKNOWN - *acc)
		*acc = UNKNOWN;
	else
		*acc += v;
}

static uint64_t *slot_field(void *out, const struct key_slot *slot)
{
	return (uint64_t *)(void *)((char *)out + slot->offset);
}

static const struct key_slot *find_slot(const struct key_slot *slots, size_t nslots,
					 struct span key)
{
	for (size_t i = 0; i < nslots; i++)
		if (span_eq(key, slots[i].key))
			return &slots[i];
	return NULL;
}

static void fill_unknown(void *out, const struct key_slot *slots, size_t nslots, uint64_t v)
{
	for (size_t i = 0; i < nslots; i++)
		*slot_field(out, &slots[i]) = v;
}

/* "key value" per line (cpu.stat, memory.stat). */
static void parse_flat_keyed(struct span rest, const struct key_slot *slots, size_t nslots,
			     void *out)
{
	fill_unknown(out, slots, nslots, UNKNOWN);
	struct span line;
	bool terminated;
	while (next_line(&rest, &line, &terminated)) {
		struct span key, value, extra;
		if (!terminated || !next_field(&line, &key))
			continue;
		const struct key_slot *slot = find_slot(slots, nslots, key);
		if (!slot)
			continue;
		bool ok = next_field(&line, &value) && !next_field(&line, &extra);
		*slot_field(out, slot) = ok ? span_u64(value) : UNKNOWN;
	}
}

/* The first line of a one-line file, cut or not, without blanks around it. */
static struct span first_line(const char *buf, size_t len)
{
	struct span rest = span_of(buf, len);
	struct span line = { rest.p, 0 };
	bool terminated;
	next_line(&rest, &line, &terminated);
	return span_trim(line);
}

uint64_t cgroup_parse_u64(const char *buf, size_t len)
{
	return span_u64(first_line(buf, len));
}

/* "max" already fails the digits-only parse; saying it keeps the meaning
 * from hanging on that rule. */
uint64_t cgroup_parse_u64_or_max(const char *buf, size_t len)
{
	struct span s = first_line(buf, len);
	return span_eq(s, "max") ? UNKNOWN : span_u64(s);
}

double cgroup_parse_cores(uint64_t quota_usec, uint64_t period_usec)
{
	if (!value_u64_known(quota_usec) || !value_u64_known(period_usec) || period_usec == 0)
		return GLASS_UNKNOWN;
	return (double)quota_usec / (double)period_usec;
}

void cgroup_parse_cpu_stat(const char *buf, size_t len, struct cgroup_parse_cpu_stat *out)
{
	static const struct key_slot slots[] = {
		{ "usage_usec", offsetof(struct cgroup_parse_cpu_stat, usage_usec) },
		{ "user_usec", offsetof(struct cgroup_parse_cpu_stat, user_usec) },
		{ "system_usec", offsetof(struct cgroup_parse_cpu_stat, system_usec) },
		{ "nr_periods", offsetof(struct cgroup_parse_cpu_stat, nr_periods) },
		{ "nr_throttled", offsetof(struct cgroup_parse_cpu_stat, nr_throttled) },
		{ "throttled_usec", offsetof(struct cgroup_parse_cpu_stat, throttled_usec) },
	};
	parse_flat_keyed(span_of(buf, len), slots, sizeof slots / sizeof slots[0], out);
}

void cgroup_parse_cpu_max(const char *buf, size_t len, struct cgroup_parse_cpu_max *out)
{
	struct span line = first_line(buf, len);
	struct span quota = { line.p, 0 }, period = { line.p, 0 }, extra;
	out->quota_usec = UNKNOWN;
	out->period_usec = UNKNOWN;
	if (!next_field(&line, &quota))
		return;
	next_field(&line, &period);
	/* A third field means a format we do not know: trust neither. */
	if (next_field(&line, &extra))
		return;
	out->quota_usec = span_eq(quota, "max") ? UNKNOWN : span_u64(quota);
	out->period_usec = span_u64(period);
}

double cgroup_parse_cpu_max_cores(const struct cgroup_parse_cpu_max *max)
{
	return max ? cgroup_parse_cores(max->quota_usec, max->period_usec) : GLASS_UNKNOWN;
}

void cgroup_parse_memory_stat(const char *buf, size_t len, struct cgroup_parse_memory_stat *out)
{
#define SLOT(k) { #k, offsetof(struct cgroup_parse_memory_stat, k) }
	static const struct key_slot slots[] = {
		SLOT(anon), SLOT(file), SLOT(inactive_file), SLOT(active_file),
		SLOT(shmem), SLOT(cache), SLOT(rss), SLOT(total_inactive_file),
		SLOT(total_cache), SLOT(total_rss),
	};
#undef SLOT
	parse_flat_keyed(span_of(buf, len), slots, sizeof slots / sizeof slots[0], out);
}

uint64_t cgroup_parse_working_set(uint64_t memory_current,
				  const struct cgroup_parse_memory_stat *stat, bool v1)
{
	if (!value_u64_known(memory_current) || !stat)
		return memory_current;
	/* v1 usage_in_bytes counts the whole subtree, as total_* does. */
	uint64_t inactive = stat->inactive_file;
	if (v1 && value_u64_known(stat->total_inactive_file))
		inactive = stat->total_inactive_file;
	if (!value_u64_known(inactive))
		return memory_current;
	return inactive >= memory_current ? 0 : memory_current - inactive;
}

void cgroup_parse_io_stat(const char *buf, size_t len, struct cgroup_parse_io_stat *out)
{
	static const struct key_slot slots[] = {
		{ "rbytes", offsetof(struct cgroup_parse_io_stat, rbytes) },
		{ "wbytes", offsetof(struct cgroup_parse_io_stat, wbytes) },
		{ "rios", offsetof(struct cgroup_parse_io_stat, rios) },
		{ "wios", offsetof(struct cgroup_parse_io_stat, wios) },
	};
	const size_t nslots = sizeof slots / sizeof slots[0];
	struct span rest = span_of(buf, len), line, dev, field, key, value;
	bool terminated;

	fill_unknown(out, slots, nslots, 0);
	while (next_line(&rest, &line, &terminated)) {
		/* A cut read may have lost any number of devices after it. */
		if (!terminated) {
			fill_unknown(out, slots, nslots, UNKNOWN);
			return;
		}
		if (!next_field(&line, &dev) || !span_is_devnum(dev))
			continue;
		while (next_field(&line, &field)) {
			const struct key_slot *slot;
			if (split_pair(field, &key, &value) &&
			    (slot = find_slot(slots, nslots, key)) != NULL)
				sum_add(slot_field(out, slot), span_u64(value));
		}
	}
}

static void psi_init(struct cgroup_parse_psi *psi)
{
	psi->avg10 = GLASS_UNKNOWN;
	psi->avg60 = GLASS_UNKNOWN;
	psi->avg300 = GLASS_UNKNOWN;
	psi->total_usec = UNKNOWN;
}

static void psi_set(struct cgroup_parse_psi *psi, struct span key, struct span value)
{
	if (span_eq(key, "avg10"))
		psi->avg10 = span_decimal(value);
	else if (span_eq(key, "avg60"))
		psi->avg60 = span_decimal(value);
	else if (span_eq(key, "avg300"))
		psi->avg300 = span_decimal(value);
	else if (span_eq(key, "total"))
		psi->total_usec = span_u64(value);
}

void cgroup_parse_pressure(const char *buf, size_t len, struct cgroup_parse_pressure *out)
{
	struct span rest = span_of(buf, len), line, kind, field, key, value;
	bool terminated;

	psi_init(&out->some);
	psi_init(&out->full);
	while (next_line(&rest, &line, &terminated)) {
		if (!terminated || !next_field(&line, &kind))
			continue;
		struct cgroup_parse_psi *psi = span_eq(kind, "some") ? &out->some
					     : span_eq(kind, "full") ? &out->full
					     : NULL;
		if (!psi)
			continue;
		while (next_field(&line, &field))
			if (split_pair(field, &key, &value))
				psi_set(psi, key, value);
	}
}

/* More CPUs than any kernel supports (NR_CPUS is at most 8192): a
 * range that wide is a garbled file, not a machine. */
#define CPUSET_MAX_CPUS 65536

uint64_t cgroup_parse_cpuset_count(const char *buf, size_t len)
{
	struct span line = first_line(buf, len), item;
	uint64_t count = 0;

	if (line.n == 0)
		return UNKNOWN;
	while (line.n) {
		const char *comma = memchr(line.p, ',', line.n);
		item.p = line.p;
		item.n = comma ? (size_t)(comma - line.p) : line.n;
		span_skip(&line, comma ? item.n + 1 : item.n);
		if (comma && line.n == 0)
			return UNKNOWN; /* a trailing comma: cut or garbled */
		const char *dash = memchr(item.p, '-', item.n);
		struct span lo = { item.p, dash ? (size_t)(dash - item.p) : item.n };
		struct span hi = dash ? (struct span){ dash + 1, item.n - lo.n - 1 } : lo;
		uint64_t a = span_u64(lo), b = span_u64(hi);
		if (!value_u64_known(a) || !value_u64_known(b) || b < a ||
		    b - a >= CPUSET_MAX_CPUS || count + (b - a + 1) > CPUSET_MAX_CPUS)
			return UNKNOWN;
		count += b - a + 1;
	}
	return count;
}

double cgroup_parse_cpu_allocation(double quota_cores, uint64_t cpuset_cpus, uint64_t root_cpus)
{
	bool pinned = value_u64_known(cpuset_cpus) && value_u64_known(root_cpus) &&
		      cpuset_cpus > 0 && cpuset_cpus < root_cpus;

	if (!pinned)
		return quota_cores;
	if (value_known(quota_cores) && quota_cores < (double)cpuset_cpus)
		return quota_cores;
	return (double)cpuset_cpus;
}

uint64_t cgroup_parse_v1_cfs_quota(const char *buf, size_t len)
{
	/* "-1" fails the digits-only parse like any other negative. */
	return cgroup_parse_u64(buf, len);
}

uint64_t cgroup_parse_v1_mem_limit(const char *buf, size_t len)
{
	uint64_t v = cgroup_parse_u64(buf, len);
	return value_u64_known(v) && v >= V1_MEM_UNLIMITED_MIN ? UNKNOWN : v;
}

/* "MAJ:MIN Op N"; other ops (Sync, Async, Discard, Total) overlap Read and
 * Write, and the last "Total N" line is the grand total of them all. */
static void blkio_line(struct span line, struct cgroup_parse_blkio *out)
{
	struct span dev, op, value = { line.p, 0 }, extra;
	if (!next_field(&line, &dev) || !span_is_devnum(dev) || !next_field(&line, &op))
		return;
	uint64_t *acc = span_eq(op, "Read") ? &out->read
		      : span_eq(op, "Write") ? &out->write
		      : NULL;
	if (!acc)
		return;
	bool ok = next_field(&line, &value) && !next_field(&line, &extra);
	sum_add(acc, ok ? span_u64(value) : UNKNOWN);
}

void cgroup_parse_v1_blkio(const char *buf, size_t len, struct cgroup_parse_blkio *out)
{
	struct span rest = span_of(buf, len), line;
	bool terminated;

	out->read = 0;
	out->write = 0;
	while (next_line(&rest, &line, &terminated)) {
		/* A cut read may have lost any number of devices after it. */
		if (!terminated) {
			out->read = UNKNOWN;
			out->write = UNKNOWN;
			return;
		}
		blkio_line(line, out);
	}
}
