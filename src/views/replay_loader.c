#include "glass/replay_loader.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "glass/replay.h"
#include "glass/xalloc.h"

#define LOADER_NICE 10

struct replay_loader {
	struct replay_index *ri;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int pipe[2]; /* a byte for each snapshot read */
	/* under lock */
	bool wanted, stop, ready;
	size_t want;
	struct tree *done; /* the snapshot read, or NULL with done_err */
	size_t done_pos;
	struct errbuf done_err;
};

static void *run(void *arg)
{
	struct replay_loader *l = arg;

	/* behind the main loop, which answers keys: the nice value is the
	 * thread's own on Linux */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), LOADER_NICE);
	pthread_mutex_lock(&l->lock);
	for (;;) {
		/* not while the last one read waits to be taken */
		while ((!l->wanted || l->ready) && !l->stop)
			pthread_cond_wait(&l->cond, &l->lock);
		if (l->stop)
			break;
		size_t i = l->want;
		l->wanted = false;
		pthread_mutex_unlock(&l->lock);

		struct errbuf err;
		errbuf_clear(&err);
#ifdef __GLIBC__
		/* The tree the screen dropped (60 MiB at 100,000 nodes) is free
		 * heap that a line read into a mapping of its own never reuses:
		 * its pages go back first, or the peak holds it too. */
		malloc_trim(0);
#endif
		struct tree *t = replay_index_load(l->ri, i, &err);

		pthread_mutex_lock(&l->lock);
		/* one not taken yet is older: this one replaces it */
		tree_free(l->done);
		l->done = t;
		l->done_pos = i;
		l->done_err = err;
		l->ready = true;
		ssize_t n;
		do
			n = write(l->pipe[1], "", 1);
		while (n < 0 && errno == EINTR);
	}
	pthread_mutex_unlock(&l->lock);
	return NULL;
}

struct replay_loader *replay_loader_new(struct replay_index *ri)
{
	struct replay_loader *l = xcalloc(1, sizeof(*l));

	l->ri = ri;
	if (pipe2(l->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(l);
		return NULL;
	}
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->cond, NULL);
	if (pthread_create(&l->thread, NULL, run, l) != 0) {
		pthread_mutex_destroy(&l->lock);
		pthread_cond_destroy(&l->cond);
		close(l->pipe[0]);
		close(l->pipe[1]);
		free(l);
		return NULL;
	}
	return l;
}

int replay_loader_fd(const struct replay_loader *l)
{
	return l->pipe[0];
}

void replay_loader_request(struct replay_loader *l, size_t i)
{
	pthread_mutex_lock(&l->lock);
	l->want = i;
	l->wanted = true;
	pthread_cond_signal(&l->cond);
	pthread_mutex_unlock(&l->lock);
}

int replay_loader_take(struct replay_loader *l, struct tree **t, size_t *i, struct errbuf *err)
{
	char buf[64];
	int rc = -1;

	while (read(l->pipe[0], buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&l->lock);
	if (l->ready) {
		*t = l->done;
		*i = l->done_pos;
		if (!l->done)
			*err = l->done_err;
		rc = l->done ? 1 : 0;
		l->done = NULL;
		l->ready = false;
		l->wanted = false;
	}
	pthread_mutex_unlock(&l->lock);
	return rc;
}

void replay_loader_free(struct replay_loader *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&l->lock);
	l->stop = true;
	pthread_cond_signal(&l->cond);
	pthread_mutex_unlock(&l->lock);
	pthread_join(l->thread, NULL);
	tree_free(l->done);
	pthread_mutex_destroy(&l->lock);
	pthread_cond_destroy(&l->cond);
	close(l->pipe[0]);
	close(l->pipe[1]);
	free(l);
}
