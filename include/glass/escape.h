/* escape.h: names from remote systems are untrusted bytes (DESIGN.md §2).
 * A view never passes them raw to a terminal or into a format that must
 * stay valid. */
#ifndef GLASS_ESCAPE_H
#define GLASS_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "glass/errbuf.h"
#include "glass/strbuf.h"

/* For terminals and plain text: control bytes (C0, DEL, C1), backslash and
 * bytes that are not valid UTF-8 become \xNN (backslash as \\). */
void escape_terminal(struct strbuf *out, const char *s);
/* For formats that escape control characters themselves (JSON, CSV) but
 * need valid UTF-8: only invalid bytes become \xNN.  A valid name stays
 * exact, backslashes included (systemd's "\x2d" is common); only names
 * that were not UTF-8 to begin with become ambiguous. */
void escape_utf8(struct strbuf *out, const char *s);
/* For text formats a person may cat to a terminal (CSV, Prometheus):
 * invalid bytes and controls other than tab, newline and return become
 * \xNN; the format's own quoting carries the rest exactly. */
void escape_data(struct strbuf *out, const char *s);
/* An error message made of outside bytes (a config or theme line, a
 * path) escaped in place as escape_terminal does: it goes to stderr, a
 * terminal that would obey them. */
void escape_errbuf(struct errbuf *err);
/* Length in bytes of the valid UTF-8 sequence at s (0 when invalid). */
size_t escape_utf8_seq_len(const unsigned char *s, size_t avail);

#endif
