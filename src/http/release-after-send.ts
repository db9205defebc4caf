import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { FastifyReply } from 'fastify';

/** Below this a buffer's memory is not worth freeing by hand. */
const MIN_RELEASED_BYTES = 64 * 1024;

let closedPort: MessagePort | undefined;

/**
 * A port closed at birth. An ArrayBuffer posted to it in the transfer list is detached here and,
 * since the message has nowhere to go, its memory is freed at once (and V8's count of external
 * memory goes down with it). JavaScript has no other way to free an ArrayBuffer on Node 20
 * (`ArrayBuffer.prototype.transfer` came with V8 11.4).
 */
function sink(): MessagePort {
  if (!closedPort) {
    closedPort = new MessageChannel().port1;
    closedPort.close();
  }
  return closedPort;
}

/**
 * The memory behind `bytes` when the buffer owns all of it and it is worth freeing by hand; a
 * view into a larger or shared block (a driver's receive buffer, Node's small-buffer slab) has
 * none of its own.
 */
function ownMemory(bytes: Uint8Array): ArrayBuffer | undefined {
  const memory = bytes.buffer;
  const owned = memory instanceof ArrayBuffer && bytes.byteOffset === 0 && memory.byteLength === bytes.byteLength;
  return owned && bytes.byteLength >= MIN_RELEASED_BYTES ? memory : undefined;
}

/** Frees the memory of `bytes` now, if it owns it (`ownMemory`); `bytes` then reads as empty. */
export function releaseBuffer(bytes: Uint8Array): void {
  const memory = ownMemory(bytes);
  if (memory) sink().postMessage(memory, [memory]);
}

/**
 * Frees the memory of `bytes` (when it owns it, as `releaseBuffer`) as soon as the answer that
 * sends them has been handed to the kernel, instead of leaving it to the garbage collector.
 *
 * Why: V8 counts memory allocated outside its heap since the last full collection as if it
 * were old-generation growth. A 1 MB download allocates 1 MB there (the driver's copy of the
 * bytes) and little on the heap, so scavenges that would find the dead buffers are rare; a
 * stream of downloads kept the count over the heap's limit and V8 ran back-to-back
 * mark-compacts: 1.7 ms of server CPU per SQLite download against 0.7 ms with this (see
 * ARCHITECTURE, "Downloads give their bytes back").
 *
 * 'finish' comes once the last write completed; for an answer whose client went away, Node
 * emits it after closing the socket, whose unsent writes are then dropped, never sent. Either
 * way no socket write reads the memory after it is freed.
 */
export function releaseWhenSent(reply: FastifyReply, bytes: Uint8Array): void {
  const memory = ownMemory(bytes);
  if (memory) reply.raw.once('finish', () => sink().postMessage(memory, [memory]));
}
