/*
 * resolver/io/net.c - UDP and TCP listeners on libuv.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * UDP datagrams are received in batches (recvmmsg) into one shared buffer;
 * their answers are copied into the listener's send batch, which goes out
 * in one sendmmsg() at the end of the receive batch (or, for answers that
 * come later, after the loop's I/O phase), falling back to queued libuv
 * sends with their own copy when the socket buffer is full.  libuv 1.44's
 * own uv_udp_send() sends the first datagram at once and only the ones
 * queued behind it with sendmmsg, and uv_udp_try_send() is one sendmsg
 * each.  A TCP connection's answers of one loop iteration go out in one
 * write.  With several workers (limits->workers) every listener has
 * SO_REUSEPORT sockets, one per worker, and a classic BPF program picks
 * the worker of a UDP query by its question.  A TCP connection keeps one
 * reference for being open plus one per kept request; its memory goes
 * when both of its handles are closed and the last reference is dropped,
 * so a late answer to a closed connection is simply discarded.
 * A proxy-protocol listener (conf/README.md) takes the client address from
 * the PROXY v2 header in front of each datagram and at the start of each
 * TCP stream, believed only from its proxy-from sources; anything else on
 * it is dropped (UDP) or closed (TCP).
 */
#define _GNU_SOURCE /* sendmmsg(), struct mmsghdr (Linux) */
#include "config.h"

#include "io/net.h"

#include <sys/socket.h>

#include <linux/filter.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "io/net_doh.h"
#include "util/err.h"
#include "util/log.h"
#include "dns/msg.h"
#include "dns/proxy.h"
#include "dns/wire.h"

/* libuv hands recvmmsg 64 KiB per datagram slot. */
#define NET_UDP_SLOT 65536
#define NET_UDP_SLOTS 32
#define NET_UDP_RCVBUF (4 * 1024 * 1024)
#define NET_TCP_BACKLOG 256
#define NET_TCP_INITIAL_BUF 4096

/* Answers waiting for one sendmmsg() on a listener's UDP socket: the
 * answers to one recvmmsg() batch, or those of one loop iteration. */
#define NET_BATCH_MSGS 32
#define NET_BATCH_BYTES 65536

struct udp_batch {
	struct mmsghdr msgs[NET_BATCH_MSGS];
	struct iovec iov[NET_BATCH_MSGS];
	struct sockaddr_storage to[NET_BATCH_MSGS];
	unsigned n;
	size_t used;                 /* bytes of data */
	uint8_t data[NET_BATCH_BYTES];
};

struct listener {
	struct net *net;
	struct udp_batch *batch;     /* NULL without Do53 */
	uv_udp_t udp;
	uv_tcp_t tcp;
	struct net_doh *doh;         /* NULL without DoH */
	size_t index;                /* in conf->listen */
	char name[64];               /* "127.0.0.1:53" for logs */
	bool proxy;                  /* PROXY v2 in front of everything */
	struct conf_cidr *proxy_from; /* whose headers are believed */
	size_t n_proxy_from;
};

struct net {
	uv_loop_t *loop;
	net_query_cb cb;
	void *arg;
	struct net_limits limits;
	struct listener *listeners;
	size_t n_listeners;
	unsigned open_handles;       /* listener handles not yet closed */
	unsigned n_conns;
	struct net_conn *conns;      /* open connections */
	bool closing;
	uint64_t tcp_rejected;       /* over tcp_max_conns, none evictable */
	uint64_t tcp_evicted;        /* idle connections closed for a new
					one at the limit */
	uint8_t *udp_buf;            /* shared recvmmsg buffer */
	uv_prepare_t flush_before;   /* before the loop polls, and */
	uv_check_t flush;            /* after I/O: the batches go out */
	bool flush_started;
	struct net_conn *dirty;      /* connections with output waiting */
};

struct net_conn {
	uv_tcp_t tcp;
	uv_timer_t idle;
	struct net *net;
	struct listener *l;
	struct net_conn *prev, *next;
	unsigned refs;               /* 1 while open + kept requests */
	unsigned open_handles;       /* tcp, idle */
	bool closed;
	bool paused;                 /* reading stopped: too many in flight */
	bool proxy_pending;          /* the PROXY v2 header is still due */
	uint64_t active_ms;          /* accepted or last complete message */
	struct sockaddr_storage peer; /* client address */
	uint8_t *buf;                /* received, not yet framed bytes */
	size_t len, cap;
	uint8_t *out;                /* framed answers not yet written */
	size_t out_len, out_cap;
	unsigned out_msgs;           /* answers in out (a reference each) */
	struct net_conn *dirty_next; /* in net->dirty while out_msgs > 0 */
};

struct udp_send {
	uv_udp_send_t req;
	uint8_t data[];
};

struct tcp_write {
	uv_write_t req;
	struct net_conn *conn;
	unsigned msgs;               /* answers in data, a reference each */
	uint8_t *data;
};

static void net_maybe_free(struct net *n);
static void conn_close(struct net_conn *c);
static void udp_flush(struct listener *l);
static void net_flush_soon(struct net *n);

/* --- PROXY v2 ---------------------------------------------------- */

/*
 * Reads the PROXY v2 header at the start of @buf from @from on a proxy
 * listener: *@client becomes the address it names (LOCAL, the balancer's
 * own health checks, keeps @from) and *@used its length.  Return: VPC_OK;
 * VPC_EAGAIN (TCP: wait for more); VPC_EMALFORMED for an untrusted source,
 * a missing or a bad header.
 */
static int
proxy_read(const struct listener *l, const struct sockaddr *from,
	   const uint8_t *buf, size_t len, struct sockaddr_storage *client,
	   size_t *used)
{
	struct proxy_header h;
	int rc;

	if (!conf_cidr_match(l->proxy_from, l->n_proxy_from, from))
		return VPC_EMALFORMED;
	if ((rc = proxy_parse(buf, len, &h)) != VPC_OK)
		return rc;
	if (h.has_addr)
		*client = h.src;
	*used = h.len;
	return VPC_OK;
}

/* --- UDP ---------------------------------------------------------- */

static void
udp_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct listener *l = h->data;

	(void)suggested;
	buf->base = (char *)l->net->udp_buf;
	buf->len = NET_UDP_SLOT * NET_UDP_SLOTS;
}

static void
udp_recv(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf,
	 const struct sockaddr *addr, unsigned flags)
{
	struct listener *l = h->data;
	const uint8_t *msg = (const uint8_t *)buf->base;
	size_t len = (size_t)nread, used = 0;
	struct net_request req;

	/* The last call of a recvmmsg() batch: its answers go out in one
	 * sendmmsg(). */
	if (flags & UV_UDP_MMSG_FREE) {
		udp_flush(l);
		return;
	}
	if (addr == NULL || nread <= 0) {
		if (nread < 0)
			log_debug("net: udp receive failed on %s: %s", l->name,
				  uv_strerror((int)nread));
		return;
	}
	if (l->net->closing)
		return;
	req.net = l->net;
	req.udp = h;
	req.conn = NULL;
	req.doh = NULL;
	req.listener = l->index;
	memcpy(&req.from, addr,
	       addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
					   : sizeof(struct sockaddr_in));
	req.peer = req.from;
	/* A datagram is whole: a partial header is as bad as none. */
	if (l->proxy &&
	    proxy_read(l, addr, msg, len, &req.peer, &used) != VPC_OK) {
		log_debug("net: udp datagram without a trusted proxy header "
			  "on %s, dropped", l->name);
		return;
	}
	l->net->cb(l->net->arg, &req, msg + used, len - used);
}

static void
udp_sent(uv_udp_send_t *req, int status)
{
	if (status < 0)
		log_debug("net: udp send failed: %s", uv_strerror(status));
	free(req);
}

/* The socket buffer is full: queue a copy with libuv, which sends it
 * when the socket is writable. */
static void
udp_queue(struct listener *l, const uint8_t *buf, size_t len,
	  const struct sockaddr *to)
{
	struct udp_send *s = malloc(sizeof(*s) + len);
	uv_buf_t b;

	if (s == NULL)
		return;
	memcpy(s->data, buf, len);
	b = uv_buf_init((char *)s->data, (unsigned)len);
	if (uv_udp_send(&s->req, &l->udp, &b, 1, to, udp_sent) != 0)
		free(s);
}

/*
 * One sendmmsg() for the whole batch (more only when the kernel takes
 * part of it).  A datagram the kernel refuses (unreachable, too large) is
 * dropped and the rest still goes; when the socket buffer is full the
 * rest is queued through libuv.
 */
static void
udp_flush(struct listener *l)
{
	struct udp_batch *b = l->batch;
	unsigned sent = 0;
	uv_os_fd_t fd;
	int r;

	if (b == NULL || b->n == 0)
		return;
	if (uv_fileno((const uv_handle_t *)&l->udp, &fd) != 0)
		sent = b->n;
	while (sent < b->n) {
		r = sendmmsg(fd, b->msgs + sent, b->n - sent, 0);
		if (r > 0) {
			sent += (unsigned)r;
		} else if (errno == EAGAIN || errno == ENOBUFS) {
			for (; sent < b->n; sent++)
				udp_queue(l, b->iov[sent].iov_base,
					  b->iov[sent].iov_len,
					  (const struct sockaddr *)&b->to[sent]);
		} else if (errno != EINTR) {
			log_debug("net: udp send failed on %s: %s", l->name,
				  strerror(errno));
			sent++;
		}
	}
	b->n = 0;
	b->used = 0;
}

static int
udp_reply(const struct net_request *req, const uint8_t *buf, size_t len)
{
	struct listener *l = req->udp->data;
	struct udp_batch *b = l->batch;
	size_t tolen = req->from.ss_family == AF_INET6
			       ? sizeof(struct sockaddr_in6)
			       : sizeof(struct sockaddr_in);
	struct mmsghdr *m;

	if (req->net->closing || b == NULL)
		return VPC_EIO;
	if (b->n == NET_BATCH_MSGS || NET_BATCH_BYTES - b->used < len)
		udp_flush(l);
	if (b->n == 0)
		net_flush_soon(l->net);
	memcpy(b->data + b->used, buf, len);
	memcpy(&b->to[b->n], &req->from, tolen);
	b->iov[b->n] = (struct iovec){.iov_base = b->data + b->used,
				      .iov_len = len};
	m = &b->msgs[b->n];
	*m = (struct mmsghdr){0};
	m->msg_hdr.msg_name = &b->to[b->n];
	m->msg_hdr.msg_namelen = (socklen_t)tolen;
	m->msg_hdr.msg_iov = &b->iov[b->n];
	m->msg_hdr.msg_iovlen = 1;
	b->n++;
	b->used += len;
	return VPC_OK;
}

/* --- steering a question to one worker ---------------------------- */

/*
 * The reuseport group of a UDP listener picks a worker's socket by this
 * classic BPF program rather than by the 4-tuple hash: a hash of the
 * first NET_STEER_WORDS words of the query name, each OR 0x20 so that
 * names differing in case only (RFC 4343, 0x20 randomization) agree, so
 * the same question always reaches the same worker and its cache.  The
 * kernel runs it on the UDP payload (the DNS message).  The name's length
 * is found by walking up to NET_STEER_LABELS labels; only words wholly
 * inside the name count, since what follows it (the type, EDNS options
 * such as a client cookie) differs between clients.  A load past the end
 * of a short or malformed datagram ends the program with 0: worker 0.
 */
#define NET_STEER_LABELS 10
#define NET_STEER_WORDS 8
#define NET_STEER_MAX (3 + 5 * NET_STEER_LABELS + 3 + 9 * NET_STEER_WORDS + 14)

static size_t
steer_program(struct sock_filter *f, unsigned workers)
{
	size_t n = 0;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_IMM, 2166136261u);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_ST, 0);  /* M[0]: hash */
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LDX | BPF_IMM,
					      WIRE_HEADER_LEN);
	for (unsigned i = 0; i < NET_STEER_LABELS; i++) {
		/* The length byte at X; a zero ends the name. */
		unsigned left = NET_STEER_LABELS - 1 - i;

		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_B | BPF_IND,
						      0);
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      0, (uint8_t)(3 + 5 * left),
						      0);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_ADD | BPF_K,
						      1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_ADD | BPF_X,
						      0);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_MISC | BPF_TAX, 0);
	}
	/* M[1]: the name's length, without the root label. */
	f[n++] = (struct sock_filter)BPF_STMT(BPF_MISC | BPF_TXA, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_SUB | BPF_K,
					      WIRE_HEADER_LEN);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_ST, 1);
	for (unsigned i = 0; i < NET_STEER_WORDS; i++) {
		unsigned left = NET_STEER_WORDS - 1 - i;

		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_MEM, 1);
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
						      4 * i + 4, 0,
						      (uint8_t)(7 + 9 * left));
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						      WIRE_HEADER_LEN + 4 * i);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_OR | BPF_K,
						      0x20202020u);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_MISC | BPF_TAX, 0);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_MEM, 0);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_XOR | BPF_X,
						      0);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_MUL | BPF_K,
						      16777619u);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_ST, 0);
	}
	/* MurmurHash3's finalizer: a multiply only carries a difference
	 * upwards, and the modulo looks at the low bits. */
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_MEM, 0);
	for (unsigned i = 0; i < 3; i++) {
		static const uint32_t shift[3] = {16, 13, 16};
		static const uint32_t mul[2] = {0x85ebca6bu, 0xc2b2ae35u};

		f[n++] = (struct sock_filter)BPF_STMT(BPF_MISC | BPF_TAX, 0);
		f[n++] = (struct sock_filter)BPF_STMT(
			BPF_ALU | BPF_RSH | BPF_K, shift[i]);
		f[n++] = (struct sock_filter)BPF_STMT(
			BPF_ALU | BPF_XOR | BPF_X, 0);
		if (i < 2)
			f[n++] = (struct sock_filter)BPF_STMT(
				BPF_ALU | BPF_MUL | BPF_K, mul[i]);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_MOD | BPF_K,
					      workers);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_A, 0);
	return n;
}

/* Best effort: without it the kernel spreads queries by address and
 * port, and a question may miss the cache of the worker that has it. */
static void
steer_attach(int fd, unsigned workers, const char *name)
{
	struct sock_filter f[NET_STEER_MAX];
	struct sock_fprog prog = {.filter = f};

	prog.len = (unsigned short)steer_program(f, workers);
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog,
		       sizeof(prog)) != 0)
		log_info("net: udp %s: queries spread by address, not by "
			 "question: %s",
			 name, strerror(errno));
}

/* --- TCP connections ---------------------------------------------- */

static void
conn_maybe_free(struct net_conn *c)
{
	if (c->refs > 0 || c->open_handles > 0)
		return;
	free(c->out);
	free(c->buf);
	free(c);
}

static void
conn_unref(struct net_conn *c)
{
	c->refs--;
	conn_maybe_free(c);
}

static void
conn_handle_closed(uv_handle_t *h)
{
	struct net_conn *c = h->data;

	c->open_handles--;
	conn_maybe_free(c);
}

static void
conn_close(struct net_conn *c)
{
	struct net *n = c->net;

	if (c->closed)
		return;
	c->closed = true;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		n->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	n->n_conns--;
	uv_close((uv_handle_t *)&c->tcp, conn_handle_closed);
	uv_close((uv_handle_t *)&c->idle, conn_handle_closed);
	c->refs--; /* the "open" reference; memory waits for the handles */
	net_maybe_free(n);
}

static void
conn_idle(uv_timer_t *t)
{
	struct net_conn *c = t->data;

	/* RFC 7766 §6.2.3: close only when nothing is outstanding. */
	if (c->refs > 1) {
		uv_timer_again(t);
		return;
	}
	conn_close(c);
}

static void
conn_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct net_conn *c = h->data;

	(void)suggested;
	if (c->cap - c->len < 512 && c->cap < 2 + MSG_TCP_MAX) {
		size_t cap = c->cap * 2 < 2 + MSG_TCP_MAX
				     ? c->cap * 2
				     : 2 + MSG_TCP_MAX;
		uint8_t *grown = realloc(c->buf, cap);

		if (grown != NULL) {
			c->buf = grown;
			c->cap = cap;
		}
	}
	buf->base = (char *)c->buf + c->len;
	buf->len = c->cap - c->len;
}

static void
conn_pause_if_busy(struct net_conn *c)
{
	if (!c->paused && c->refs - 1 >= c->net->limits.tcp_max_inflight) {
		uv_read_stop((uv_stream_t *)&c->tcp);
		c->paused = true;
	}
}

/*
 * The first bytes of a proxy-protocol connection are the PROXY v2 header:
 * it names the client for every message of the connection.
 * Return: false when the connection was closed (bad header).
 */
static bool
conn_proxy(struct net_conn *c)
{
	struct sockaddr_storage client = c->peer;
	size_t used = 0;
	int rc;

	rc = proxy_read(c->l, (const struct sockaddr *)&c->peer, c->buf, c->len,
			&client, &used);
	/* conn_alloc() stops growing at 2 + MSG_TCP_MAX bytes. */
	if (rc == VPC_EAGAIN && c->len < 2 + MSG_TCP_MAX)
		return true;
	if (rc != VPC_OK) {
		log_debug("net: tcp connection without a trusted proxy "
			  "header on %s, closing", c->l->name);
		conn_close(c);
		return false;
	}
	c->proxy_pending = false;
	c->peer = client;
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
	return true;
}

/* Hands every complete message in the buffer to the query callback. */
static void
conn_frames(struct net_conn *c)
{
	size_t off = 0, msg, msg_len, used;
	struct net_request req;
	int rc = VPC_OK;

	if (c->proxy_pending && (!conn_proxy(c) || c->proxy_pending))
		return;
	req = (struct net_request){.net = c->net, .conn = c,
				   .listener = c->l->index, .peer = c->peer,
				   .from = c->peer};
	while (!c->closed && !c->paused &&
	       (rc = wire_tcp_frame(c->buf + off, c->len - off, &msg, &msg_len,
				    &used)) == VPC_OK) {
		c->net->cb(c->net->arg, &req, c->buf + off + msg, msg_len);
		off += used;
		conn_pause_if_busy(c);
	}
	/* RFC 7766 §6.2.3 and §10: only complete messages count as
	 * activity, so a client that trickles bytes (slowloris) still
	 * reaches the idle timeout. */
	if (off > 0 && !c->closed) {
		c->active_ms = uv_now(c->net->loop);
		uv_timer_again(&c->idle);
	}
	if (rc == VPC_EMALFORMED) {
		log_debug("net: tcp length prefix too short, closing");
		conn_close(c);
		return;
	}
	memmove(c->buf, c->buf + off, c->len - off);
	c->len -= off;
}

static void
conn_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct net_conn *c = s->data;

	(void)buf;
	if (nread < 0) {
		conn_close(c);
		return;
	}
	if (nread == 0)
		return;
	c->len += (size_t)nread;
	conn_frames(c);
}

/* Drops a reference held by a kept request or a pending write, and
 * resumes a paused connection once it is below the in-flight limit. */
static void
conn_release(struct net_conn *c)
{
	if (c->closed) {
		conn_unref(c); /* may free it */
		return;
	}
	conn_unref(c); /* the open reference keeps it alive */
	if (!c->paused || c->refs - 1 >= c->net->limits.tcp_max_inflight)
		return;
	c->paused = false;
	uv_read_start((uv_stream_t *)&c->tcp, conn_alloc, conn_read);
	conn_frames(c); /* messages that arrived while paused */
}

/* The references of @msgs answers go (the last may free @c). */
static void
conn_release_n(struct net_conn *c, unsigned msgs)
{
	if (msgs == 0)
		return;
	c->refs -= msgs - 1;
	conn_release(c);
}

static void
tcp_written(uv_write_t *req, int status)
{
	struct tcp_write *w = (struct tcp_write *)req;
	struct net_conn *c = w->conn;
	unsigned msgs = w->msgs;

	if (status < 0)
		log_debug("net: tcp write failed: %s", uv_strerror(status));
	free(w->data);
	free(w);
	conn_release_n(c, msgs);
}

/* The answers of this loop iteration go out in one write. */
static void
conn_flush(struct net_conn *c)
{
	struct tcp_write *w = NULL;
	unsigned msgs = c->out_msgs;
	uv_buf_t b;

	c->out_msgs = 0;
	if (!c->closed && (w = malloc(sizeof(*w))) != NULL) {
		w->conn = c;
		w->msgs = msgs;
		w->data = c->out;
		b = uv_buf_init((char *)c->out, (unsigned)c->out_len);
		c->out = NULL;
		c->out_len = c->out_cap = 0;
		if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1,
			     tcp_written) == 0)
			return;
		free(w->data);
		free(w);
	}
	c->out_len = 0;
	conn_release_n(c, msgs);
}

static int
tcp_reply(const struct net_request *req, const uint8_t *buf, size_t len)
{
	struct net_conn *c = req->conn;
	struct wire_writer ww;
	size_t need = c->out_len + 2 + len;

	if (c->closed || len > MSG_TCP_MAX)
		return VPC_EIO;
	if (need > c->out_cap) {
		size_t cap = c->out_cap * 2 > need ? c->out_cap * 2 : need;
		uint8_t *grown = realloc(c->out, cap);

		if (grown == NULL)
			return VPC_ENOMEM;
		c->out = grown;
		c->out_cap = cap;
	}
	wire_writer_init(&ww, c->out + c->out_len, 2 + len);
	wire_write_u16(&ww, (uint16_t)len); /* RFC 1035 §4.2.2 */
	wire_write_bytes(&ww, buf, len);
	c->out_len = need;
	if (c->out_msgs++ == 0) {
		c->dirty_next = c->net->dirty;
		c->net->dirty = c;
		net_flush_soon(c->net);
	}
	c->refs++;
	return VPC_OK;
}

/* Every batch goes out: after the loop's I/O phase (answers to what it
 * received), or before it polls (answers made by timers, by write or
 * close callbacks), so no answer waits for the next event.  Stopped
 * first, so what a flush triggers (a paused connection reading again) is
 * flushed by the next one. */
static void
flush_all(struct net *n)
{
	uv_check_stop(&n->flush);
	uv_prepare_stop(&n->flush_before);
	n->flush_started = false;
	for (size_t i = 0; i < n->n_listeners; i++)
		udp_flush(&n->listeners[i]);
	while (n->dirty != NULL) {
		struct net_conn *c = n->dirty;

		n->dirty = c->dirty_next;
		conn_flush(c);
	}
}

static void
on_flush(uv_check_t *h)
{
	flush_all(h->data);
}

static void
on_flush_before(uv_prepare_t *h)
{
	flush_all(h->data);
}

static void
net_flush_soon(struct net *n)
{
	if (n->flush_started || n->closing)
		return;
	uv_check_start(&n->flush, on_flush);
	uv_prepare_start(&n->flush_before, on_flush_before);
	n->flush_started = true;
}

static void
reject_closed(uv_handle_t *h)
{
	free(h);
}

static void
reject_conn(struct net *n, uv_stream_t *server)
{
	uv_tcp_t *t = malloc(sizeof(*t));

	if (t == NULL)
		return;
	uv_tcp_init(n->loop, t);
	uv_accept(server, (uv_stream_t *)t);
	uv_close((uv_handle_t *)t, reject_closed);
}

static int
conn_start(struct net *n, struct listener *l, struct net_conn *c)
{
	c->net = n;
	c->l = l;
	c->refs = 1;
	c->tcp.data = c->idle.data = c;
	if ((c->buf = malloc(NET_TCP_INITIAL_BUF)) == NULL)
		return VPC_ENOMEM;
	c->cap = NET_TCP_INITIAL_BUF;
	uv_tcp_init(n->loop, &c->tcp);
	uv_timer_init(n->loop, &c->idle);
	c->open_handles = 2;
	c->next = n->conns;
	if (n->conns != NULL)
		n->conns->prev = c;
	n->conns = c;
	n->n_conns++;
	return VPC_OK;
}

/* At the connection limit a new client takes the place of the
 * connection that has been quiet longest and has nothing in flight, so
 * idle or trickling connections cannot lock everyone else out. */
static bool
evict_idlest(struct net *n)
{
	struct net_conn *victim = NULL;

	for (struct net_conn *c = n->conns; c != NULL; c = c->next)
		if (c->refs == 1 &&
		    (victim == NULL || c->active_ms < victim->active_ms))
			victim = c;
	if (victim == NULL)
		return false;
	n->tcp_evicted++;
	conn_close(victim);
	return true;
}

static void
tcp_accept(uv_stream_t *server, int status)
{
	struct listener *l = server->data;
	struct net *n = l->net;
	struct net_conn *c;
	int plen;

	if (status < 0 || n->closing)
		return;
	if (n->n_conns >= n->limits.tcp_max_conns && !evict_idlest(n)) {
		log_debug("net: tcp connection limit %u reached",
			  n->limits.tcp_max_conns);
		n->tcp_rejected++;
		reject_conn(n, server);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		reject_conn(n, server);
		return;
	}
	if (conn_start(n, l, c) != VPC_OK) {
		free(c);
		reject_conn(n, server);
		return;
	}
	plen = sizeof(c->peer);
	if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0 ||
	    uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&c->peer, &plen) !=
		    0 ||
	    uv_read_start((uv_stream_t *)&c->tcp, conn_alloc, conn_read) !=
		    0) {
		conn_close(c);
		return;
	}
	c->active_ms = uv_now(n->loop);
	uv_timer_start(&c->idle, conn_idle, n->limits.tcp_idle_ms,
		       n->limits.tcp_idle_ms);
	c->proxy_pending = l->proxy;
}

/* --- requests ----------------------------------------------------- */

int
net_reply(const struct net_request *req, const uint8_t *buf, size_t len)
{
	if (req->doh != NULL)
		return net_doh_reply(req->doh, buf, len);
	if (req->conn != NULL)
		return tcp_reply(req, buf, len);
	return udp_reply(req, buf, len);
}

struct net_request *
net_request_keep(const struct net_request *req)
{
	struct net_request *k = malloc(sizeof(*k));

	if (k == NULL)
		return NULL;
	*k = *req;
	if (k->doh != NULL)
		net_doh_stream_keep(k->doh);
	if (k->conn != NULL) {
		k->conn->refs++;
		conn_pause_if_busy(k->conn);
	}
	return k;
}

void
net_request_release(struct net_request *req)
{
	struct net_conn *c;

	if (req == NULL)
		return;
	c = req->conn;
	net_doh_stream_release(req->doh);
	free(req);
	if (c != NULL)
		conn_release(c);
}

/* --- listeners ---------------------------------------------------- */

static void
listener_closed(uv_handle_t *h)
{
	struct listener *l = h->data;

	l->net->open_handles--;
	net_maybe_free(l->net);
}

static void
flush_closed(uv_handle_t *h)
{
	struct net *n = h->data;

	n->open_handles--;
	net_maybe_free(n);
}

/* A socket bound to @sa that shares its port with the other workers';
 * TCP takes SO_REUSEADDR as libuv's uv_tcp_bind() does.  Return: the
 * descriptor, or a negative libuv error. */
static int
shared_socket(const struct sockaddr *sa, int type, bool reuseport)
{
	bool v6 = sa->sa_family == AF_INET6;
	int fd = socket(sa->sa_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1, e;

	if (fd < 0)
		return -errno;
	if ((type == SOCK_STREAM &&
	     setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0) ||
	    (reuseport &&
	     setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0) ||
	    (v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			      sizeof(one)) != 0) ||
	    bind(fd, sa,
		 v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) !=
		    0) {
		e = -errno;
		close(fd);
		return e;
	}
	return fd;
}

static int
bind_shared_udp(struct net *n, struct listener *l, const struct sockaddr *sa)
{
	int fd = shared_socket(sa, SOCK_DGRAM, true), rc;

	if (fd < 0)
		return fd;
	steer_attach(fd, n->limits.workers, l->name);
	if ((rc = uv_udp_open(&l->udp, fd)) != 0)
		close(fd);
	return rc;
}

static int
bind_listener(struct net *n, struct listener *l, const struct conf_listen *cl)
{
	const struct sockaddr *sa = (const struct sockaddr *)&cl->addr.ss;
	bool v6 = sa->sa_family == AF_INET6;
	int rc;

	conf_format_sockaddr(sa, l->name, sizeof(l->name));
	l->net = n;
	l->udp.data = l->tcp.data = l;
	/* A shared socket is made here and opened (AF_UNSPEC: none yet). */
	uv_udp_init_ex(n->loop, &l->udp,
		       (n->limits.workers > 1 ? AF_UNSPEC
					      : (unsigned)sa->sa_family) |
			       UV_UDP_RECVMMSG);
	uv_tcp_init(n->loop, &l->tcp);
	n->open_handles += 2;
	/* Copied: the configuration may be reloaded and freed. */
	if (cl->proxy_protocol) {
		l->proxy_from = calloc(cl->n_proxy_from, sizeof(*l->proxy_from));
		if (l->proxy_from == NULL)
			return VPC_ENOMEM;
		memcpy(l->proxy_from, cl->proxy_from,
		       cl->n_proxy_from * sizeof(*l->proxy_from));
		l->n_proxy_from = cl->n_proxy_from;
		l->proxy = true;
	}
	/* DoH (h2o) runs on the first worker's loop only. */
	if (cl->doh && n->limits.worker == 0 &&
	    (rc = net_doh_listen(n->loop, cl, l->index, n, n->cb, n->arg,
				 &l->doh)) != VPC_OK)
		return rc;
	if (!cl->do53)
		return VPC_OK;
	if ((l->batch = malloc(sizeof(*l->batch))) == NULL)
		return VPC_ENOMEM;
	l->batch->n = 0;
	l->batch->used = 0;
	if (n->limits.workers > 1)
		rc = bind_shared_udp(n, l, sa);
	else
		rc = uv_udp_bind(&l->udp, sa, v6 ? UV_UDP_IPV6ONLY : 0);
	if (rc != 0 ||
	    (rc = uv_udp_recv_start(&l->udp, udp_alloc, udp_recv)) != 0) {
		log_err("net: cannot listen on udp %s: %s", l->name,
			uv_strerror(rc));
		return VPC_EIO;
	}
	if (n->limits.workers > 1) {
		int fd = shared_socket(sa, SOCK_STREAM, true);

		rc = fd < 0 ? fd : uv_tcp_open(&l->tcp, fd);
		if (fd >= 0 && rc != 0)
			close(fd);
	} else {
		rc = uv_tcp_bind(&l->tcp, sa, v6 ? UV_TCP_IPV6ONLY : 0);
	}
	if (rc != 0 ||
	    (rc = uv_listen((uv_stream_t *)&l->tcp, NET_TCP_BACKLOG,
			    tcp_accept)) != 0) {
		log_err("net: cannot listen on tcp %s: %s", l->name,
			uv_strerror(rc));
		return VPC_EIO;
	}
	{
		int size = NET_UDP_RCVBUF;

		uv_recv_buffer_size((uv_handle_t *)&l->udp, &size);
	}
	if (n->limits.worker == 0)
		log_notice("net: listening on %s (udp, tcp)%s%s", l->name,
			   cl->inbound != NULL ? " as inbound endpoint" : "",
			   cl->proxy_protocol ? " behind proxy protocol v2"
					      : "");
	return VPC_OK;
}

/* Containers often run without IPv6 (net.ipv6.conf.all.disable_ipv6=1):
 * the default listeners then keep 127.0.0.1 alone rather than refusing
 * to start.  A listener the configuration names is never skipped. */
static bool
skip_default_v6(const struct conf *cf, const struct conf_listen *cl)
{
	struct sockaddr_in6 lo = {.sin6_family = AF_INET6,
				  .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	int fd;
	bool usable;

	if (cf->listen_set || cl->addr.ss.ss_family != AF_INET6)
		return false;
	if ((fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
		usable = false;
	} else {
		usable = bind(fd, (const struct sockaddr *)&lo, sizeof(lo)) == 0;
		close(fd);
	}
	if (!usable)
		log_warn("net: IPv6 is not available here, listening on "
			 "127.0.0.1 only (name the listeners in `listen:` or "
			 "--listen to change that)");
	return !usable;
}

int
net_check_bind(const struct conf *cf)
{
	int *fds = calloc(2 * cf->n_listen + 1, sizeof(*fds));
	size_t n = 0;
	int rc = VPC_OK;

	if (fds == NULL)
		return VPC_ENOMEM;
	/* All held at once, so overlapping listeners collide. */
	for (size_t i = 0; i < cf->n_listen && rc == VPC_OK; i++) {
		const struct conf_listen *cl = &cf->listen[i];
		const struct sockaddr *sa = (const struct sockaddr *)&cl->addr.ss;
		char name[64];
		int fd;

		if (!cl->do53 || skip_default_v6(cf, cl))
			continue;
		conf_format_sockaddr(sa, name, sizeof(name));
		if ((fd = shared_socket(sa, SOCK_DGRAM, false)) < 0) {
			log_err("net: cannot listen on udp %s: %s", name,
				uv_strerror(fd));
			rc = VPC_EIO;
			break;
		}
		fds[n++] = fd;
		if ((fd = shared_socket(sa, SOCK_STREAM, false)) >= 0) {
			fds[n++] = fd;
			if (listen(fd, 1) != 0)
				fd = -errno;
		}
		if (fd < 0) {
			log_err("net: cannot listen on tcp %s: %s", name,
				uv_strerror(fd));
			rc = VPC_EIO;
		}
	}
	while (n > 0)
		close(fds[--n]);
	free(fds);
	return rc;
}

int
net_new(uv_loop_t *loop, const struct conf *cf,
	const struct net_limits *limits, net_query_cb cb, void *arg,
	struct net **out)
{
	struct net *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return VPC_ENOMEM;
	n->loop = loop;
	n->cb = cb;
	n->arg = arg;
	n->limits = *limits;
	n->udp_buf = malloc(NET_UDP_SLOT * NET_UDP_SLOTS);
	n->listeners = calloc(cf->n_listen, sizeof(*n->listeners));
	if (n->udp_buf == NULL || n->listeners == NULL) {
		free(n->udp_buf);
		free(n->listeners);
		free(n);
		return VPC_ENOMEM;
	}
	uv_check_init(loop, &n->flush);
	uv_prepare_init(loop, &n->flush_before);
	n->flush.data = n->flush_before.data = n;
	n->open_handles += 2;
	for (size_t i = 0; i < cf->n_listen; i++) {
		struct listener *l;

		if (skip_default_v6(cf, &cf->listen[i]))
			continue;
		l = &n->listeners[n->n_listeners++];
		l->index = i;
		if (bind_listener(n, l, &cf->listen[i]) != VPC_OK) {
			net_close(n);
			return VPC_EIO;
		}
	}
	*out = n;
	return VPC_OK;
}

uint64_t
net_tcp_rejected(const struct net *n)
{
	return n->tcp_rejected;
}

uint64_t
net_tcp_evicted(const struct net *n)
{
	return n->tcp_evicted;
}

static void
net_maybe_free(struct net *n)
{
	if (!n->closing || n->open_handles > 0 || n->n_conns > 0)
		return;
	for (size_t i = 0; i < n->n_listeners; i++) {
		free(n->listeners[i].proxy_from);
		free(n->listeners[i].batch);
	}
	free(n->listeners);
	free(n->udp_buf);
	free(n);
}

void
net_close(struct net *n)
{
	if (n == NULL || n->closing)
		return;
	/* What is batched goes first (the SERVFAILs of a shutdown). */
	flush_all(n);
	n->closing = true;
	/* Keep the net alive until every listener handle has closed. */
	n->open_handles++;
	uv_close((uv_handle_t *)&n->flush, flush_closed);
	uv_close((uv_handle_t *)&n->flush_before, flush_closed);
	while (n->conns != NULL)
		conn_close(n->conns);
	for (size_t i = 0; i < n->n_listeners; i++) {
		net_doh_close(n->listeners[i].doh);
		uv_close((uv_handle_t *)&n->listeners[i].udp, listener_closed);
		uv_close((uv_handle_t *)&n->listeners[i].tcp, listener_closed);
	}
	n->open_handles--;
	net_maybe_free(n);
}
