/* serve.h: glass --serve, an HTTP exporter for Prometheus (DESIGN.md §6).
 *
 * The batch loop publishes each finished snapshot; an HTTP thread of
 * libmicrohttpd answers scrapes from the last one published, so a scrape
 * never waits on a source.  Built only with libmicrohttpd (HAVE_MICROHTTPD). */
#ifndef GLASS_SERVE_H
#define GLASS_SERVE_H

#include "glass/errbuf.h"
#include "glass/node.h"

/* The port the systemd unit and the documentation use: outside 9100-9999,
 * the range the Prometheus project hands out to exporters, which is full. */
#define SERVE_DEFAULT_PORT 10464

struct server;

/* "[ADDR:]PORT", "ADDR" or ":PORT" into a socket address: ADDR is an IPv4
 * or a bracketed IPv6 address ("[::1]"); none before a colon means every
 * address (as node_exporter's ":9100"); no colon and digits only is a
 * port on 127.0.0.1.  0, or -1 with err. */
int serve_parse_listen(const char *spec, struct errbuf *err);
/* Binds and starts answering (503 until the first snapshot); NULL with
 * err when the address cannot be bound. */
struct server *server_start(const char *spec, struct errbuf *err);
/* Renders t (the whole tree) for /metrics and /snapshot.json and makes it
 * the one scrapes get.  Does not keep t. */
void server_publish(struct server *s, const struct tree *t);
/* Stops answering, waits for the HTTP thread, frees. */
void server_stop(struct server *s);

#endif
