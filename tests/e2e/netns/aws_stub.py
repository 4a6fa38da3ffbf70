#!/usr/bin/python3
# tests/e2e/netns/aws_stub.py - a stand-in for the Secrets Manager API on
# the endpoint's interface addresses: answers GetSecretValue (JSON 1.1
# protocol) with a fixed secret and records every request, one JSON object
# a line (the address it arrived on, method, path, headers, body), so the
# test can see what the AWS CLI sent and where.  Lives at most 300 s.
#
# usage: aws_stub.py PORT RECORD-FILE READY-FILE ADDRESS...
import http.server
import json
import socketserver
import sys
import threading
import time

port, record, ready = int(sys.argv[1]), sys.argv[2], sys.argv[3]
addresses = sys.argv[4:]
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock, open(record, "a") as f:
            f.write(json.dumps({
                "local": self.connection.getsockname()[0],
                "method": "POST",
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("utf-8", "replace"),
            }) + "\n")
        if self.headers.get("X-Amz-Target") != "secretsmanager.GetSecretValue":
            self.reply(400, {"__type": "UnknownOperationException"})
            return
        req = json.loads(body or b"{}")
        self.reply(200, {
            "ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:"
                   + req.get("SecretId", "") + "-AbCdEf",
            "Name": req.get("SecretId", ""),
            "VersionId": "01234567-89ab-cdef-0123-456789abcdef",
            "SecretString": "served-on-" + self.connection.getsockname()[0],
            "VersionStages": ["AWSCURRENT"],
            "CreatedDate": 1767225600.0,
        })

    def reply(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("x-amzn-RequestId", "0123abcd-0000-4000-8000-000000000001")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        sys.stderr.write(fmt % args + "\n")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


servers = [Server((a, port), Handler) for a in addresses]
for s in servers:
    threading.Thread(target=s.serve_forever, daemon=True).start()
with open(ready, "w") as f:
    f.write("ready\n")
time.sleep(300)
