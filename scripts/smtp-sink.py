#!/usr/bin/env python3
"""A real SMTP server on loopback for the e-mail test: CPython's smtpd (3.11 and older), else aiosmtpd.

Usage: smtp-sink.py PORT OUTPUT_DIR — each received message is written to OUTPUT_DIR/<n>.eml with its
envelope in OUTPUT_DIR/<n>.json. Runs until killed.
"""
import json
import os
import sys
import warnings

port = int(sys.argv[1])
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
count = 0


def store(peer, mailfrom, rcpttos, data):
    global count
    count += 1
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(out, f"{count}.eml"), "wb") as f:
        f.write(data)
    with open(os.path.join(out, f"{count}.json"), "w") as f:
        json.dump({"from": mailfrom, "to": rcpttos}, f)


try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import asyncore
        import smtpd

    class Sink(smtpd.SMTPServer):
        def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
            store(peer, mailfrom, rcpttos, data)

    Sink(("127.0.0.1", port), None, decode_data=False)
    print(f"smtp-sink (smtpd) sur 127.0.0.1:{port}", flush=True)
    asyncore.loop()
except ImportError:
    import asyncio

    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            store(session.peer, envelope.mail_from, envelope.rcpt_tos, envelope.content)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"smtp-sink (aiosmtpd) sur 127.0.0.1:{port}", flush=True)
    asyncio.get_event_loop().run_forever()
