/*
 * resolver/util/err.c - error code descriptions.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Maps enum vpc_err to static strings; no state.
 */
#include "config.h"

#include "util/err.h"

const char *
vpc_strerror(int err)
{
	switch (err) {
	case VPC_OK:
		return "success";
	case VPC_ENOMEM:
		return "out of memory";
	case VPC_ETRUNC:
		return "truncated input";
	case VPC_EMALFORMED:
		return "malformed input";
	case VPC_ESPACE:
		return "no space in output buffer";
	case VPC_EAGAIN:
		return "need more input";
	case VPC_ENOTFOUND:
		return "not found";
	case VPC_ECONFIG:
		return "invalid configuration";
	case VPC_EIO:
		return "input/output error";
	case VPC_ETIMEOUT:
		return "timed out";
	case VPC_EUPSTREAM:
		return "upstream failure";
	}
	return "unknown error";
}
