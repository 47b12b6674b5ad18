#!/usr/bin/env python3
"""A one-file receiver for ping and push callbacks: prints each POST (path, Authorization, body) and answers 204.

Usage: scripts/callback-receiver.py [port]   (default 5199, on 127.0.0.1)
"""
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
        print(f"POST {self.path}\nAuthorization: {self.headers.get('Authorization')}\n{body}\n", flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


port = int(sys.argv[1]) if len(sys.argv) > 1 else 5199
print(f"Listening on http://127.0.0.1:{port}", flush=True)
HTTPServer(("127.0.0.1", port), Receiver).serve_forever()
