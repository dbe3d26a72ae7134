#include "glass/board.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glass/clock.h"
#include "glass/xalloc.h"

static const char *const health_names[] = {
	[HEALTH_CONNECTING] = "connecting",
	[HEALTH_OK] = "ok",
	[HEALTH_STALE] = "stale",
	[HEALTH_UNREACHABLE] = "unreachable",
};

const char *health_name(enum health h)
{
	if ((unsigned)h >= sizeof(health_names) / sizeof(health_names[0]))
		return "unknown";
	return health_names[h];
}

bool health_parse(const char *name, enum health *out)
{
	for (unsigned i = 0; name && i < sizeof(health_names) / sizeof(health_names[0]); i++) {
		if (strcmp(name, health_names[i]) == 0) {
			*out = (enum health)i;
			return true;
		}
	}
	return false;
}

struct board_slot {
	struct reading *reading;
	uint64_t seq;
	enum health health;
	char reason[ERRBUF_SIZE];
	uint64_t last_ok_mono;
	uint64_t next_retry_mono;
	uint64_t last_report_mono;
};

struct board {
	pthread_mutex_t lock;
	int pipe_fds[2];
	size_t n_slots;
	struct board_slot *slots;
	uint64_t unreachable_after_ns;
	uint64_t asking_since_mono;
};

struct board *board_new(size_t n_slots)
{
	struct board *b = xcalloc(1, sizeof(*b));

	pthread_mutex_init(&b->lock, NULL);
	/* Non-blocking both ways: a full pipe already means "wake up", and
	 * a poller must never block on the main loop. */
	if (pipe2(b->pipe_fds, O_NONBLOCK | O_CLOEXEC) < 0)
		fatal("pipe: %s", strerror(errno));
	b->n_slots = n_slots;
	b->asking_since_mono = clock_mono_ns();
	b->slots = xcalloc(n_slots, sizeof(*b->slots));
	for (size_t i = 0; i < n_slots; i++)
		b->slots[i].health = HEALTH_CONNECTING;
	return b;
}

void board_free(struct board *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n_slots; i++)
		reading_unref(b->slots[i].reading);
	free(b->slots);
	close(b->pipe_fds[0]);
	close(b->pipe_fds[1]);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

size_t board_slots(const struct board *b)
{
	return b->n_slots;
}

int board_wake_fd(const struct board *b)
{
	return b->pipe_fds[0];
}

void board_wake(struct board *b)
{
	char c = 1;
	ssize_t n = write(b->pipe_fds[1], &c, 1);

	(void)n; /* EAGAIN: the pipe is full, the main loop wakes anyway */
}

void board_drain(struct board *b)
{
	char buf[256];

	while (read(b->pipe_fds[0], buf, sizeof(buf)) > 0)
		;
}

void board_publish(struct board *b, size_t slot, struct reading *r)
{
	struct reading *old;
	uint64_t now = clock_mono_ns();

	reading_seal(r); /* it is whole: held until the next one comes */
	pthread_mutex_lock(&b->lock);
	struct board_slot *s = &b->slots[slot];
	old = s->reading;
	s->reading = r;
	s->seq++;
	s->health = HEALTH_OK;
	s->reason[0] = '\0';
	s->last_ok_mono = now;
	s->next_retry_mono = 0;
	s->last_report_mono = now;
	pthread_mutex_unlock(&b->lock);
	reading_unref(old);
	board_wake(b);
}

void board_report(struct board *b, size_t slot, enum health h, const char *reason,
		  uint64_t next_retry_mono)
{
	pthread_mutex_lock(&b->lock);
	struct board_slot *s = &b->slots[slot];
	s->health = h;
	snprintf(s->reason, sizeof(s->reason), "%s", reason ? reason : "");
	s->next_retry_mono = next_retry_mono;
	s->last_report_mono = clock_mono_ns();
	pthread_mutex_unlock(&b->lock);
	board_wake(b);
}

void board_set_unreachable_after(struct board *b, uint64_t ns)
{
	pthread_mutex_lock(&b->lock);
	b->unreachable_after_ns = ns;
	pthread_mutex_unlock(&b->lock);
}

void board_asking(struct board *b, uint64_t now_mono)
{
	pthread_mutex_lock(&b->lock);
	b->asking_since_mono = now_mono;
	pthread_mutex_unlock(&b->lock);
}

void board_read(struct board *b, uint64_t now_mono, uint64_t stale_after_ns,
		struct board_slot_view *views)
{
	pthread_mutex_lock(&b->lock);
	for (size_t i = 0; i < b->n_slots; i++) {
		struct board_slot *s = &b->slots[i];
		struct board_slot_view *v = &views[i];

		v->reading = reading_ref(s->reading);
		v->seq = s->seq;
		v->health = s->health;
		memcpy(v->reason, s->reason, sizeof(v->reason));
		v->last_ok_mono = s->last_ok_mono;
		v->next_retry_mono = s->next_retry_mono;
		v->last_report_mono = s->last_report_mono;
		if (v->health == HEALTH_OK && now_mono > s->last_ok_mono &&
		    now_mono - s->last_ok_mono > stale_after_ns) {
			v->health = HEALTH_STALE;
			snprintf(v->reason, sizeof(v->reason), "no reading for %.1f s",
				 (double)(now_mono - s->last_ok_mono) / 1e9);
		}
		if (v->health == HEALTH_STALE && b->unreachable_after_ns &&
		    now_mono > s->last_report_mono &&
		    now_mono - s->last_report_mono > b->unreachable_after_ns) {
			v->health = HEALTH_UNREACHABLE;
			snprintf(v->reason, sizeof(v->reason), "no answer for %.1f s",
				 (double)(now_mono - s->last_report_mono) / 1e9);
		}
		/* Never answered at all (a silent peer during the first
		 * connect), or silent since a retry that was due long ago. */
		uint64_t since = 0;
		if (v->health == HEALTH_CONNECTING && s->last_report_mono == 0)
			since = b->asking_since_mono;
		else if (v->health == HEALTH_UNREACHABLE && s->next_retry_mono &&
			 s->next_retry_mono > s->last_report_mono)
			since = s->next_retry_mono;
		if (since && b->unreachable_after_ns && now_mono > since &&
		    now_mono - since > b->unreachable_after_ns) {
			v->health = HEALTH_UNREACHABLE;
			snprintf(v->reason, sizeof(v->reason), "no answer for %.1f s",
				 (double)(now_mono - since) / 1e9);
		}
	}
	pthread_mutex_unlock(&b->lock);
}

void board_views_release(struct board_slot_view *views, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		reading_unref(views[i].reading);
		views[i].reading = NULL;
	}
}
