import { Writable } from "node:stream";

/** A writable stream that keeps what is written to it as text, for CLIs run in-process. */
export class TextSink extends Writable {
  text = "";

  constructor(readonly isTTY = false) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}
