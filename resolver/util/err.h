/*
 * resolver/util/err.h - the one error space of vpcdns.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Every function that can fail returns int: VPC_OK (0) or one of the
 * negative codes below.  DNS RCODEs are not errors; they are part of an
 * answer.  vpc_strerror() returns a static string and never fails.
 */
#ifndef RESOLVER_UTIL_ERR_H
#define RESOLVER_UTIL_ERR_H

enum vpc_err {
	VPC_OK = 0,
	VPC_ENOMEM = -1,     /* allocation failed */
	VPC_ETRUNC = -2,     /* input ended before a complete item */
	VPC_EMALFORMED = -3, /* input violates its format */
	VPC_ESPACE = -4,     /* output buffer too small */
	VPC_EAGAIN = -5,     /* need more input (TCP framing) */
	VPC_ENOTFOUND = -6,  /* looked-up item does not exist */
	VPC_ECONFIG = -7,    /* configuration is invalid */
	VPC_EIO = -8,        /* file or socket I/O failed */
	VPC_ETIMEOUT = -9,   /* no answer in time */
	VPC_EUPSTREAM = -10, /* upstream failed or answered garbage */
};

/**
 * vpc_strerror() - describe an error code.
 * @err: [in] a value of enum vpc_err (any int is accepted).
 *
 * Return: a static, NUL-terminated string; "unknown error" for values
 * outside the enum.
 */
const char *vpc_strerror(int err);

#endif /* RESOLVER_UTIL_ERR_H */
