/* VisionSpace event stream client (protocol: docs/events.md).
 *
 *   const s = new VisionSpaceEvents("public", {onEvent(e) {...}, onReset(info) {...}});
 *
 * Keeps the last seq and epoch per group in sessionStorage, so a reload or a reconnect
 * (to any web process) resumes with exactly the events it missed; reconnects with
 * capped exponential backoff and jitter. */
(function () {
  "use strict";
  const STORE = "visionspace.events.";

  class VisionSpaceEvents {
    constructor(group, handlers = {}) {
      this.group = group;
      this.handlers = handlers;
      this.attempt = 0;
      this.closed = false;
      const saved = JSON.parse(sessionStorage.getItem(STORE + group) || "null");
      this.lastSeq = saved ? saved.seq : null;
      this.epoch = saved ? saved.epoch : null;
      this.connect();
    }

    url() {
      const proto = location.protocol === "https:" ? "wss:" : "ws:";
      return `${proto}//${location.host}/ws/events/${encodeURIComponent(this.group)}/`;
    }

    save() {
      sessionStorage.setItem(STORE + this.group, JSON.stringify({seq: this.lastSeq, epoch: this.epoch}));
    }

    state(name) { if (this.handlers.onState) this.handlers.onState(name, this); }

    connect() {
      this.state("connecting");
      const ws = new WebSocket(this.url());
      this.ws = ws;
      ws.onmessage = (msg) => this.receive(JSON.parse(msg.data));
      ws.onclose = (ev) => {
        this.state("closed");
        if (this.closed || ev.code === 4403 || ev.code === 4404) return;
        const delay = Math.min(30000, 500 * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
        setTimeout(() => this.connect(), delay);
      };
    }

    receive(m) {
      switch (m.type) {
        case "hello":
          this.attempt = 0;
          this.state("open");
          if (this.lastSeq === null) {
            this.lastSeq = m.seq; this.epoch = m.epoch; this.save();
          } else {
            this.ws.send(JSON.stringify({type: "resume", after: this.lastSeq, epoch: this.epoch || undefined}));
          }
          break;
        case "reset":
          this.lastSeq = m.seq; this.epoch = m.epoch; this.save();
          if (this.handlers.onReset) this.handlers.onReset(m);
          break;
        case "heartbeat": case "pong": case "resumed":
          break;
        case "error":
          if (this.handlers.onError) this.handlers.onError(m); else console.warn("events:", m.message);
          break;
        default:
          if (typeof m.seq === "number") {
            if (this.lastSeq !== null && m.seq <= this.lastSeq) return;
            this.lastSeq = m.seq; this.save();
            if (this.handlers.onEvent) this.handlers.onEvent(m);
          }
      }
    }

    close() { this.closed = true; if (this.ws) this.ws.close(); }
  }

  window.VisionSpaceEvents = VisionSpaceEvents;
})();
