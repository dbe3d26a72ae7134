/* The board and the pollers: publish, health, staleness, wake-ups, and a
 * hanging source that blocks only its own poller. */
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glass/board.h"
#include "glass/clock.h"
#include "glass/poller.h"
#include "glass/xalloc.h"
#include "unit.h"

static bool readable(int fd, int timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, timeout_ms) == 1;
}

START_TEST(publish_and_read)
{
	struct board *b = board_new(2);
	struct board_slot_view v[2];
	struct reading *r = reading_new();

	ck_assert(!readable(board_wake_fd(b), 0));
	r->mono_ns = 123;
	board_publish(b, 1, r);
	ck_assert(readable(board_wake_fd(b), 0));
	board_drain(b);
	ck_assert(!readable(board_wake_fd(b), 0));

	board_read(b, clock_mono_ns(), NS_PER_S, v);
	ck_assert_ptr_null(v[0].reading);
	ck_assert_int_eq(v[0].health, HEALTH_CONNECTING);
	ck_assert_ptr_eq(v[1].reading, r);
	ck_assert_uint_eq(v[1].seq, 1);
	ck_assert_int_eq(v[1].health, HEALTH_OK);
	/* the view holds its own reference */
	ck_assert_int_eq(atomic_load(&r->refs), 2);
	board_views_release(v, 2);
	ck_assert_int_eq(atomic_load(&r->refs), 1);
	board_free(b);
}
END_TEST

START_TEST(failure_keeps_last_reading)
{
	struct board *b = board_new(1);
	struct board_slot_view v;
	struct reading *r = reading_new();

	board_publish(b, 0, r);
	board_report(b, 0, HEALTH_UNREACHABLE, "connection refused", 99);
	board_read(b, clock_mono_ns(), NS_PER_S, &v);
	ck_assert_ptr_eq(v.reading, r);
	ck_assert_int_eq(v.health, HEALTH_UNREACHABLE);
	ck_assert_str_eq(v.reason, "connection refused");
	ck_assert_uint_eq(v.next_retry_mono, 99);
	ck_assert_uint_ne(v.last_ok_mono, 0);
	board_views_release(&v, 1);
	board_free(b);
}
END_TEST

START_TEST(old_reading_reads_stale)
{
	struct board *b = board_new(1);
	struct board_slot_view v;

	board_publish(b, 0, reading_new());
	board_read(b, clock_mono_ns() + 5 * NS_PER_S, 2 * NS_PER_S, &v);
	ck_assert_int_eq(v.health, HEALTH_STALE);
	ck_assert_ptr_nonnull(strstr(v.reason, "no reading for"));
	board_views_release(&v, 1);
	board_read(b, clock_mono_ns(), 2 * NS_PER_S, &v);
	ck_assert_int_eq(v.health, HEALTH_OK);
	board_views_release(&v, 1);
	board_free(b);
}
END_TEST

/* A hung source (its poller stuck in a call) goes stale, then
 * unreachable once it has not answered for the set time. */
START_TEST(silent_source_reads_unreachable)
{
	struct board *b = board_new(1);
	struct board_slot_view v;
	uint64_t now = clock_mono_ns();

	board_set_unreachable_after(b, 5 * NS_PER_S);
	board_publish(b, 0, reading_new());
	board_read(b, now + 3 * NS_PER_S, 2 * NS_PER_S, &v);
	ck_assert_int_eq(v.health, HEALTH_STALE);
	board_views_release(&v, 1);
	board_read(b, now + 6 * NS_PER_S, 2 * NS_PER_S, &v);
	ck_assert_int_eq(v.health, HEALTH_UNREACHABLE);
	ck_assert_ptr_nonnull(strstr(v.reason, "no answer for"));
	ck_assert_ptr_nonnull(v.reading); /* the last values stay shown */
	board_views_release(&v, 1);
	/* a failure report is an answer: it keeps its own reason */
	board_report(b, 0, HEALTH_UNREACHABLE, "connection refused", 0);
	board_read(b, clock_mono_ns() + NS_PER_S, 2 * NS_PER_S, &v);
	ck_assert_str_eq(v.reason, "connection refused");
	board_views_release(&v, 1);
	board_free(b);
}
END_TEST

/* A source stuck in its first connect, or in a retry, reads unreachable. */
START_TEST(silent_connect_reads_unreachable)
{
	struct board *b = board_new(2);
	struct board_slot_view v[2];
	uint64_t now = clock_mono_ns();

	board_set_unreachable_after(b, 5 * NS_PER_S);
	board_report(b, 1, HEALTH_UNREACHABLE, "connection refused", now + NS_PER_S);
	board_read(b, now + 2 * NS_PER_S, 2 * NS_PER_S, v);
	ck_assert_int_eq(v[0].health, HEALTH_CONNECTING);
	ck_assert_str_eq(v[1].reason, "connection refused");
	board_views_release(v, 2);
	board_read(b, now + 7 * NS_PER_S, 2 * NS_PER_S, v);
	ck_assert_int_eq(v[0].health, HEALTH_UNREACHABLE);
	ck_assert_ptr_nonnull(strstr(v[0].reason, "no answer for 7."));
	ck_assert_int_eq(v[1].health, HEALTH_UNREACHABLE);
	ck_assert_ptr_nonnull(strstr(v[1].reason, "no answer for 6."));
	board_views_release(v, 2);
	board_free(b);
}
END_TEST

/* Silence counts from when the sources are first asked: a board made
 * long before (a window seeded from Prometheus first) does not make a
 * source that was asked a moment ago unreachable. */
START_TEST(silence_counts_from_the_first_ask)
{
	struct board *b = board_new(1);
	struct board_slot_view v;
	uint64_t asked = clock_mono_ns() + 30 * NS_PER_S;

	board_set_unreachable_after(b, 5 * NS_PER_S);
	board_asking(b, asked);
	board_read(b, asked + 2 * NS_PER_S, 2 * NS_PER_S, &v);
	ck_assert_int_eq(v.health, HEALTH_CONNECTING);
	board_views_release(&v, 1);
	board_read(b, asked + 6 * NS_PER_S, 2 * NS_PER_S, &v);
	ck_assert_int_eq(v.health, HEALTH_UNREACHABLE);
	ck_assert_ptr_nonnull(strstr(v.reason, "no answer for 6."));
	board_views_release(&v, 1);
	board_free(b);
}
END_TEST

START_TEST(backoff_doubles_to_a_minute)
{
	uint64_t b = poller_backoff_next(0);

	ck_assert_uint_eq(b, NS_PER_S);
	b = poller_backoff_next(b);
	ck_assert_uint_eq(b, 2 * NS_PER_S);
	for (int i = 0; i < 10; i++)
		b = poller_backoff_next(b);
	ck_assert_uint_eq(b, 60 * NS_PER_S);
}
END_TEST

/* A scripted source: fails to open once, then samples; or hangs. */
struct fake {
	atomic_int opens;
	atomic_int samples;
	int fail_first_open;
	unsigned hang_ms;
	unsigned close_ms; /* a remote source's close is a round trip */
};

static int fake_open(struct source *src, struct errbuf *err)
{
	struct fake *f = src->priv;

	if (atomic_fetch_add(&f->opens, 1) < f->fail_first_open)
		return errbuf_set(err, "refused");
	return 0;
}

static int fake_sample(struct source *src, struct reading *out, struct errbuf *err)
{
	struct fake *f = src->priv;

	(void)err;
	atomic_fetch_add(&f->samples, 1);
	if (f->hang_ms)
		usleep(f->hang_ms * 1000);
	reading_add_node(out, NODE_HOST, "host:fake", NULL, "fake");
	return 0;
}

static void fake_close(struct source *src)
{
	struct fake *f = src->priv;

	if (f->close_ms)
		usleep(f->close_ms * 1000);
}

static const struct source_ops fake_ops = {"fake", fake_open, fake_sample, fake_close, NULL};

START_TEST(poller_samples_on_a_grid)
{
	struct fake f = {0};
	struct source src = {&fake_ops, "fake", &f};
	struct board *b = board_new(1);
	struct board_slot_view v;
	struct poller *p = poller_start(&src, b, 0, clock_mono_ns(), NS_PER_S / 20);

	usleep(280 * 1000);
	ck_assert(poller_stop(p, NS_PER_S));
	/* 0, 50, ..., 250 ms: six ticks, allow scheduling slack */
	ck_assert_int_ge(atomic_load(&f.samples), 3);
	ck_assert_int_le(atomic_load(&f.samples), 7);
	board_read(b, clock_mono_ns(), NS_PER_S, &v);
	ck_assert_int_eq(v.health, HEALTH_OK);
	ck_assert_uint_eq(v.reading->n_nodes, 1);
	board_views_release(&v, 1);
	board_free(b);
}
END_TEST

START_TEST(failed_open_reports_and_retries)
{
	struct fake f = {.fail_first_open = 1};
	struct source src = {&fake_ops, "fake", &f};
	struct board *b = board_new(1);
	struct board_slot_view v;
	uint64_t t0 = clock_mono_ns();
	struct poller *p = poller_start(&src, b, 0, t0, NS_PER_S / 10);

	usleep(100 * 1000);
	board_read(b, clock_mono_ns(), NS_PER_S, &v);
	ck_assert_int_eq(v.health, HEALTH_UNREACHABLE);
	ck_assert_str_eq(v.reason, "refused");
	/* the first retry is one second after the failure */
	ck_assert_uint_ge(v.next_retry_mono, t0 + NS_PER_S);
	board_views_release(&v, 1);
	usleep(1100 * 1000);
	board_read(b, clock_mono_ns(), NS_PER_S, &v);
	ck_assert_int_eq(v.health, HEALTH_OK);
	board_views_release(&v, 1);
	ck_assert(poller_stop(p, NS_PER_S));
	board_free(b);
}
END_TEST

START_TEST(hanging_source_does_not_block_stop)
{
	struct fake *f = xcalloc(1, sizeof(*f));
	struct source *src = xcalloc(1, sizeof(*src));
	struct board *b = board_new(1);
	struct poller *p;
	uint64_t t0;

	f->hang_ms = 1500;
	*src = (struct source){&fake_ops, "fake", f};
	p = poller_start(src, b, 0, clock_mono_ns(), NS_PER_S);
	usleep(50 * 1000);
	t0 = clock_mono_ns();
	/* The poller is inside sample(): stop gives up after the wait. */
	ck_assert(!poller_stop(p, NS_PER_S / 10));
	ck_assert_uint_lt(clock_mono_ns() - t0, NS_PER_S / 2);
	/* Let the abandoned thread finish and free itself before the
	 * process ends; it still uses src and b, so they stay. */
	usleep(1700 * 1000);
	board_free(b);
	free(src);
	free(f);
}
END_TEST

/* A poller long stuck in one call (a hung peer) is not waited for at
 * all: a quit with many hung hosts costs no wait per host. */
START_TEST(stuck_poller_is_not_waited_for)
{
	struct fake *f = xcalloc(1, sizeof(*f));
	struct source *src = xcalloc(1, sizeof(*src));
	struct board *b = board_new(1);
	struct poller *p;
	uint64_t t0;

	f->hang_ms = 1500;
	*src = (struct source){&fake_ops, "fake", f};
	p = poller_start(src, b, 0, clock_mono_ns(), NS_PER_S);
	usleep(POLLER_STUCK_NS / 1000 + 100 * 1000);
	t0 = clock_mono_ns();
	ck_assert(!poller_stop(p, 10 * NS_PER_S)); /* a long wait, not taken */
	ck_assert_uint_lt(clock_mono_ns() - t0, NS_PER_S);
	usleep(1500 * 1000);
	board_free(b);
	free(src);
	free(f);
}
END_TEST

/* Ten sources that each take 300 ms to close: asked all at once, they
 * close side by side well within a second (in turn: three). */
START_TEST(request_stop_closes_in_parallel)
{
	enum { N = 10 };
	struct fake f[N];
	struct source src[N];
	struct poller *p[N];
	struct board *b = board_new(N);
	uint64_t deadline;

	memset(f, 0, sizeof(f));
	for (int i = 0; i < N; i++) {
		f[i].close_ms = 300;
		src[i] = (struct source){&fake_ops, "fake", &f[i]};
		p[i] = poller_start(&src[i], b, (size_t)i, clock_mono_ns(), NS_PER_S);
	}
	for (int i = 0; i < N; i++)
		while (atomic_load(&f[i].samples) == 0)
			usleep(1000);
	deadline = clock_mono_ns() + 2 * NS_PER_S;
	for (int i = 0; i < N; i++)
		poller_request_stop(p[i]);
	for (int i = 0; i < N; i++) {
		uint64_t now = clock_mono_ns();
		ck_assert(poller_stop(p[i], deadline > now ? deadline - now : 0));
	}
	board_free(b);
}
END_TEST

static Suite *board_suite(void)
{
	Suite *s = suite_create("board");
	TCase *tc = tcase_create("board");
	TCase *tp = tcase_create("poller");

	tcase_add_test(tc, publish_and_read);
	tcase_add_test(tc, failure_keeps_last_reading);
	tcase_add_test(tc, old_reading_reads_stale);
	tcase_add_test(tc, silent_source_reads_unreachable);
	tcase_add_test(tc, silent_connect_reads_unreachable);
	tcase_add_test(tc, silence_counts_from_the_first_ask);
	tcase_add_test(tp, backoff_doubles_to_a_minute);
	tcase_add_test(tp, poller_samples_on_a_grid);
	tcase_add_test(tp, failed_open_reports_and_retries);
	tcase_add_test(tp, hanging_source_does_not_block_stop);
	tcase_add_test(tp, stuck_poller_is_not_waited_for);
	tcase_add_test(tp, request_stop_closes_in_parallel);
	tcase_set_timeout(tp, 20);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tp);
	return s;
}

UNIT_MAIN(board_suite)
