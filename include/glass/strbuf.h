/* strbuf.h: a growable byte string, always NUL-terminated. */
#ifndef GLASS_STRBUF_H
#define GLASS_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

void strbuf_init(struct strbuf *sb);
void strbuf_done(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
/* Room for `extra` more bytes and the NUL. */
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
/* Inline: writers add a character at a time, and a call costs more
 * than the byte. */
static inline void strbuf_addc(struct strbuf *sb, char c)
{
	if (sb->len + 2 > sb->cap)
		strbuf_grow(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Room for n more bytes at the end, for a writer that knows its length
 * before it has the bytes (a number's digits): returns where they go;
 * strbuf_added(sb, m) then counts the m <= n bytes written. */
static inline char *strbuf_room(struct strbuf *sb, size_t n)
{
	if (sb->len + n + 1 > sb->cap)
		strbuf_grow(sb, n);
	return sb->buf + sb->len;
}

static inline void strbuf_added(struct strbuf *sb, size_t m)
{
	sb->len += m;
	sb->buf[sb->len] = '\0';
}
/* Appends n spaces. */
void strbuf_pad(struct strbuf *sb, size_t n);
/* Gives the buffer to the caller and leaves sb empty. */
char *strbuf_detach(struct strbuf *sb);

#endif
