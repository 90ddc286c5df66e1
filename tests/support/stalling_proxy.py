"""A TCP proxy in front of a real server that, once armed, stops answering any connection
that sends a given marker: the server as a client sees it when it hangs mid-operation."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator


class StallingProxy:
    def __init__(self, target_host: str, target_port: int, marker: bytes) -> None:
        self._target = (target_host, target_port)
        self._marker = marker
        self.armed = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.port = 0
        # Connections that sent the marker while armed: operations that reached the server.
        self.stalled_connections = 0

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._connection, "127.0.0.1", 0)
        )
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()
        pending = asyncio.all_tasks(self._loop)
        for task in pending:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.close()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self._target)
        stalled = False

        async def client_to_server() -> None:
            nonlocal stalled
            while data := await reader.read(65536):
                if self.armed.is_set() and self._marker in data and not stalled:
                    stalled = True
                    self.stalled_connections += 1
                if not stalled:
                    up_writer.write(data)
                    await up_writer.drain()

        async def server_to_client() -> None:
            while data := await up_reader.read(65536):
                writer.write(data)
                await writer.drain()

        with contextlib.suppress(OSError):
            await asyncio.gather(client_to_server(), server_to_client())
        writer.close()
        up_writer.close()

    @contextlib.contextmanager
    def running(self) -> Iterator[StallingProxy]:
        self._thread.start()
        self._ready.wait(10)
        try:
            yield self
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
