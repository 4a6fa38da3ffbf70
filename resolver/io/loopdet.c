/*
 * resolver/io/loopdet.c - forwarding loop detection.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The interface addresses come from getifaddrs() at each filter (a load),
 * so an address added later is caught at the next reload, and by the
 * run-time probe meanwhile.  Only exact interface addresses count for a
 * wildcard listener: 127.0.0.11 in a container is Docker's resolver
 * (redirected by the kernel), not us, although it is a loopback address.
 */
#include "config.h"

#include "io/loopdet.h"

#include <sys/random.h>
#include <sys/socket.h>

#include <ifaddrs.h>
#include <netinet/in.h>

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "dns/wire.h"
#include "engine/view.h"
#include "util/err.h"
#include "util/log.h"

struct loopdet {
	uv_udp_t udp4, udp6;
	unsigned open_handles;
	bool have6;
	char token[17];           /* 16 lower-case hex digits */
	uint8_t buf[512];         /* replies land here, unread */
};

static const void *
addr_bytes(const struct sockaddr_storage *ss, size_t *len, uint16_t *port)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)ss;

		*len = 4;
		*port = ntohs(s4->sin_port);
		return &s4->sin_addr;
	}
	const struct sockaddr_in6 *s6 = (const void *)ss;

	*len = 16;
	*port = ntohs(s6->sin6_port);
	return &s6->sin6_addr;
}

static bool
is_wildcard(const void *a, size_t len)
{
	static const uint8_t zero[16];

	return memcmp(a, zero, len) == 0;
}

/* An address of a local interface (or a wildcard, which reaches us). */
static bool
is_local(const struct ifaddrs *ifs, int family, const void *a, size_t len)
{
	if (is_wildcard(a, len))
		return true;
	for (const struct ifaddrs *i = ifs; i != NULL; i = i->ifa_next) {
		size_t l;
		uint16_t p;
		const void *b;

		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != family)
			continue;
		b = addr_bytes((const struct sockaddr_storage *)(const void *)
				       i->ifa_addr,
			       &l, &p);
		if (l == len && memcmp(a, b, len) == 0)
			return true;
	}
	return false;
}

/* The listener of @cf that @t reaches, or NULL. */
static const struct conf_listen *
own_listener(const struct conf *cf, const struct ifaddrs *ifs,
	     const struct conf_sockaddr *t)
{
	size_t tl, ll;
	uint16_t tp, lp;
	const void *ta = addr_bytes(&t->ss, &tl, &tp);

	for (size_t i = 0; i < cf->n_listen; i++) {
		const struct conf_listen *l = &cf->listen[i];
		const void *la = addr_bytes(&l->addr.ss, &ll, &lp);

		if (l->addr.ss.ss_family != t->ss.ss_family || lp != tp)
			continue;
		if (memcmp(la, ta, tl) == 0 ||
		    (is_wildcard(la, ll) &&
		     is_local(ifs, t->ss.ss_family, ta, tl)))
			return l;
	}
	return NULL;
}

size_t
loopdet_filter(const struct conf *cf, struct view_group *groups, size_t n,
	       const char *const *labels)
{
	struct ifaddrs *ifs = NULL;
	size_t dropped = 0;

	if (getifaddrs(&ifs) != 0)
		ifs = NULL;
	for (size_t g = 0; g < n; g++) {
		struct view_group *vg = &groups[g];
		size_t keep = 0;

		for (size_t i = 0; i < vg->n_addrs; i++) {
			const struct conf_listen *l =
				own_listener(cf, ifs, &vg->addrs[i]);
			char ta[64], la[64];

			if (l == NULL) {
				vg->addrs[keep++] = vg->addrs[i];
				continue;
			}
			log_err("loop: %s target %s is this daemon's own "
				"listener %s: dropped, it would forward to "
				"itself",
				labels[g],
				conf_format_sockaddr(
					(const struct sockaddr *)&vg->addrs[i].ss,
					ta, sizeof(ta)),
				conf_format_sockaddr(
					(const struct sockaddr *)&l->addr.ss, la,
					sizeof(la)));
			dropped++;
		}
		vg->n_addrs = keep;
	}
	freeifaddrs(ifs);
	return dropped;
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct loopdet *ld = h->data;

	(void)suggested;
	buf->base = (char *)ld->buf;
	buf->len = sizeof(ld->buf);
}

static void
on_recv(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf,
	const struct sockaddr *addr, unsigned flags)
{
	(void)h;
	(void)nread;
	(void)buf;
	(void)addr;
	(void)flags;
}

int
loopdet_new(uv_loop_t *loop, struct loopdet **out)
{
	struct loopdet *ld = calloc(1, sizeof(*ld));
	struct sockaddr_in any4 = {.sin_family = AF_INET};
	struct sockaddr_in6 any6 = {.sin6_family = AF_INET6};
	uint64_t r = 0;

	if (ld == NULL)
		return VPC_ENOMEM;
	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r = (uint64_t)(uintptr_t)ld * 0x9e3779b97f4a7c15ull;
	snprintf(ld->token, sizeof(ld->token), "%016" PRIx64, r);
	uv_udp_init(loop, &ld->udp4);
	uv_udp_init(loop, &ld->udp6);
	ld->udp4.data = ld->udp6.data = ld;
	ld->open_handles = 2;
	if (uv_udp_bind(&ld->udp4, (const struct sockaddr *)&any4, 0) == 0)
		uv_udp_recv_start(&ld->udp4, on_alloc, on_recv);
	ld->have6 = uv_udp_bind(&ld->udp6, (const struct sockaddr *)&any6,
				UV_UDP_IPV6ONLY) == 0;
	if (ld->have6)
		uv_udp_recv_start(&ld->udp6, on_alloc, on_recv);
	*out = ld;
	return VPC_OK;
}

static size_t
build_probe(const struct loopdet *ld, uint32_t gen, size_t g, size_t i,
	    const uint8_t *suffix, uint8_t *out, size_t cap)
{
	char lab[32];
	size_t sl = wire_name_len(suffix), ll;
	struct wire_writer w;
	uint16_t id;

	if (getrandom(&id, sizeof(id), 0) != (ssize_t)sizeof(id))
		id = (uint16_t)(gen + g * 31 + i);
	ll = (size_t)snprintf(lab, sizeof(lab), "g%" PRIu32 "-%zu-%zu", gen,
			      g, i);
	wire_writer_init(&w, out, cap);
	wire_write_u16(&w, id);
	wire_write_u16(&w, WIRE_FLAG_RD);
	wire_write_u16(&w, 1);
	wire_write_u16(&w, 0);
	wire_write_u16(&w, 0);
	wire_write_u16(&w, 0);
	wire_write_u8(&w, 16);
	wire_write_bytes(&w, ld->token, 16);
	wire_write_u8(&w, (uint8_t)ll);
	wire_write_bytes(&w, lab, ll);
	wire_write_u8(&w, (uint8_t)(sizeof(LOOPDET_LABEL) - 1));
	wire_write_bytes(&w, LOOPDET_LABEL, sizeof(LOOPDET_LABEL) - 1);
	if (1 + 16 + 1 + ll + sizeof(LOOPDET_LABEL) + sl > WIRE_MAX_NAME_LEN)
		return 0;
	wire_write_bytes(&w, suffix, sl);
	wire_write_u16(&w, WIRE_TYPE_TXT);
	wire_write_u16(&w, WIRE_CLASS_IN);
	return w.err == VPC_OK ? w.len : 0;
}

struct probe_send {
	uv_udp_send_t req;
	uint8_t buf[WIRE_MAX_NAME_LEN + 32];
};

static void
probe_sent(uv_udp_send_t *req, int status)
{
	(void)status;
	free(req->data);
}

void
loopdet_probe(struct loopdet *ld, uint32_t gen,
	      const struct view_group *groups, size_t n,
	      const uint8_t *const *suffixes)
{
	for (size_t g = 0; g < n; g++) {
		for (size_t i = 0; i < groups[g].n_addrs; i++) {
			const struct conf_sockaddr *a = &groups[g].addrs[i];
			bool v6 = a->ss.ss_family == AF_INET6;
			struct probe_send *ps;
			uv_buf_t b;
			size_t len;

			if ((v6 && !ld->have6) ||
			    (ps = malloc(sizeof(*ps))) == NULL)
				continue;
			len = build_probe(ld, gen, g, i, suffixes[g], ps->buf,
					  sizeof(ps->buf));
			ps->req.data = ps;
			b = uv_buf_init((char *)ps->buf, (unsigned)len);
			if (len == 0 ||
			    uv_udp_send(&ps->req, v6 ? &ld->udp6 : &ld->udp4,
					&b, 1, (const struct sockaddr *)&a->ss,
					probe_sent) != 0)
				free(ps);
		}
	}
}

static bool
label_is(const uint8_t *lab, const char *text)
{
	size_t n = strlen(text);

	if (lab[0] != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (tolower(lab[1 + i]) != text[i])
			return false;
	return true;
}

bool
loopdet_seen(const struct loopdet *ld, const uint8_t *query, size_t len,
	     uint32_t *gen, size_t *group, size_t *index)
{
	struct wire_reader r;
	uint8_t name[WIRE_MAX_NAME_LEN];
	char lab[64];
	size_t nl, p;
	unsigned long g, grp, idx;
	char end;

	if (ld == NULL)
		return false;
	wire_reader_init(&r, query, len);
	wire_skip(&r, WIRE_HEADER_LEN);
	nl = wire_read_name(&r, name);
	if (r.err != VPC_OK || nl < 18 || !label_is(name, ld->token))
		return false;
	p = 17;
	if (name[p] == 0 || name[p] >= sizeof(lab) || p + 1 + name[p] >= nl)
		return false;
	memcpy(lab, name + p + 1, name[p]);
	lab[name[p]] = '\0';
	p += 1 + name[p];
	if (!label_is(name + p, LOOPDET_LABEL) ||
	    sscanf(lab, "g%lu-%lu-%lu%c", &g, &grp, &idx, &end) != 3)
		return false;
	*gen = (uint32_t)g;
	*group = grp;
	*index = idx;
	return true;
}

static void
closed(uv_handle_t *h)
{
	struct loopdet *ld = h->data;

	if (--ld->open_handles == 0)
		free(ld);
}

void
loopdet_close(struct loopdet *ld)
{
	if (ld == NULL)
		return;
	uv_close((uv_handle_t *)&ld->udp4, closed);
	uv_close((uv_handle_t *)&ld->udp6, closed);
}
