"""A minimal GDB remote protocol client for tests (stdlib only).

    c = Client(unix_socket_path)
    c.cmd('qSupported')        # send a packet, expect '+', return the reply
    c.raw(frame('c'))          # send without waiting; c.reply() later
"""
import re
import socket


def frame(payload):
    if isinstance(payload, str):
        payload = payload.encode('latin-1')
    return b'$' + payload + b'#%02x' % (sum(payload) & 0xff)


class Client:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(10)
        self.s.connect(path)
        self.buf = b''

    def read_more(self):
        data = self.s.recv(65536)
        if not data:
            raise EOFError('the stub closed the connection')
        self.buf += data

    def raw(self, data):
        self.s.sendall(data)

    def expect_ack(self, want=b'+'):
        while not self.buf:
            self.read_more()
        got, self.buf = self.buf[:1], self.buf[1:]
        assert got == want, 'expected %r, got %r' % (want, got)

    def reply(self):
        """The next packet's payload (acked), checksum verified."""
        while True:
            m = re.match(rb'\$([^#]*)#([0-9a-f]{2})', self.buf, re.S)
            if m:
                break
            self.read_more()
        self.buf = self.buf[m.end():]
        payload = m.group(1)
        assert sum(payload) & 0xff == int(m.group(2), 16), 'bad checksum'
        try:
            self.raw(b'+')
        except BrokenPipeError:
            pass    # after D the program may end before our ack
        return payload.decode('latin-1')

    def cmd(self, payload):
        self.raw(frame(payload))
        self.expect_ack()
        return self.reply()
