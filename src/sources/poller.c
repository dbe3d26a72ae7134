#include "glass/poller.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "glass/clock.h"
#include "glass/xalloc.h"

#define BACKOFF_MIN_NS (1 * NS_PER_S)
#define BACKOFF_MAX_NS (60 * NS_PER_S)

struct poller {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* signalled on stop and when the thread ends */
	bool stop;
	bool done;
	bool abandoned; /* the stopper gave up: the thread frees itself */
	struct source *src;   /* (borrowed) */
	struct board *board;  /* (borrowed) */
	size_t slot;
	uint64_t start_mono;
	uint64_t interval_ns;
};

uint64_t poller_backoff_next(uint64_t prev_ns)
{
	if (prev_ns < BACKOFF_MIN_NS)
		return BACKOFF_MIN_NS;
	return prev_ns >= BACKOFF_MAX_NS / 2 ? BACKOFF_MAX_NS : prev_ns * 2;
}

/* Sleeps until `until` (monotonic) or a stop; true when asked to stop. */
static bool wait_until(struct poller *p, uint64_t until)
{
	struct timespec ts = clock_ns_to_timespec(until);
	bool stop;

	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		int rc = pthread_cond_timedwait(&p->cond, &p->lock, &ts);
		if (rc == ETIMEDOUT)
			break;
	}
	stop = p->stop;
	pthread_mutex_unlock(&p->lock);
	return stop;
}

static bool should_stop(struct poller *p)
{
	bool stop;

	pthread_mutex_lock(&p->lock);
	stop = p->stop;
	pthread_mutex_unlock(&p->lock);
	return stop;
}

/* The first tick of the grid start + k*interval that is still ahead. */
static uint64_t next_tick(const struct poller *p, uint64_t now)
{
	if (now < p->start_mono)
		return p->start_mono;
	uint64_t k = (now - p->start_mono) / p->interval_ns + 1;
	return p->start_mono + k * p->interval_ns;
}

static void poller_run(struct poller *p)
{
	struct source *src = p->src;
	struct errbuf err;
	bool opened = false;
	uint64_t backoff = 0;
	uint64_t tick = p->start_mono;

	if (wait_until(p, tick))
		return;
	while (!should_stop(p)) {
		errbuf_clear(&err);
		if (!opened) {
			if (src->ops->open(src, &err) == 0) {
				opened = true;
			} else {
				backoff = poller_backoff_next(backoff);
				uint64_t retry = clock_mono_ns() + backoff;
				board_report(p->board, p->slot, HEALTH_UNREACHABLE, err.msg, retry);
				if (wait_until(p, retry))
					return;
				continue;
			}
		}
		struct reading *r = reading_new();
		r->mono_ns = clock_mono_ns();
		if (src->ops->sample(src, r, &err) == 0) {
			board_publish(p->board, p->slot, r);
			backoff = 0;
		} else {
			reading_unref(r);
			src->ops->close(src);
			opened = false;
			backoff = poller_backoff_next(backoff);
			uint64_t retry = clock_mono_ns() + backoff;
			board_report(p->board, p->slot, HEALTH_UNREACHABLE, err.msg, retry);
			if (wait_until(p, retry))
				return;
			continue;
		}
		tick = next_tick(p, clock_mono_ns());
		if (wait_until(p, tick))
			break;
	}
	if (opened)
		src->ops->close(src);
}

static void poller_free(struct poller *p)
{
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

static void *poller_main(void *arg)
{
	struct poller *p = arg;
	bool abandoned;

	poller_run(p);
	pthread_mutex_lock(&p->lock);
	p->done = true;
	abandoned = p->abandoned;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	if (abandoned)
		poller_free(p);
	return NULL;
}

struct poller *poller_start(struct source *src, struct board *b, size_t slot,
			    uint64_t start_mono, uint64_t interval_ns)
{
	struct poller *p = xcalloc(1, sizeof(*p));
	pthread_condattr_t attr;
	int rc;

	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &attr);
	pthread_condattr_destroy(&attr);
	p->src = src;
	p->board = b;
	p->slot = slot;
	p->start_mono = start_mono;
	p->interval_ns = interval_ns ? interval_ns : NS_PER_S;
	rc = pthread_create(&p->thread, NULL, poller_main, p);
	if (rc != 0)
		fatal("cannot start a poller thread: %s", strerror(rc));
	return p;
}

void poller_request_stop(struct poller *p)
{
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

bool poller_stop(struct poller *p, uint64_t wait_ns)
{
	struct timespec ts = clock_ns_to_timespec(clock_mono_ns() + wait_ns);
	bool done;

	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->cond);
	while (!p->done) {
		if (pthread_cond_timedwait(&p->cond, &p->lock, &ts) == ETIMEDOUT)
			break;
	}
	done = p->done;
	if (!done)
		p->abandoned = true;
	pthread_mutex_unlock(&p->lock);
	if (done) {
		pthread_join(p->thread, NULL);
		poller_free(p);
	} else {
		pthread_detach(p->thread);
	}
	return done;
}
