/* Voice in, on the stage (docs/voice.md, "In the browser"): the microphone through an
 * AudioWorklet (16 kHz s16le, 20 ms frames) to /ws/voice/<stage>/, push-to-talk or always
 * listening for "VisionSpace, …", the state on the mic badge, partial captions and refusals
 * through the stage's own caption and alert (static/js/stage.js, loaded before this).
 *
 * window.VisionSpaceVoice.timeline maps captured sample indices to performance.now() and keeps
 * the socket's messages with their arrival times (tests and bench/voice_to_video.py read it). */
(function () {
  "use strict";
  const box = document.getElementById("stage-voice");
  if (!box || !window.VisionSpaceStage) return;
  const stage = window.VisionSpaceStage;
  const talkButton = document.getElementById("voice-talk");
  const help = document.getElementById("voice-help");

  const RATE = 16000;
  const FRAME = 320;              // samples per 20 ms frame
  const PRE_ROLL_FRAMES = 10;     // 200 ms sent before "start": people start talking as they press
  const RING = 3000;              // frames of timing kept (60 s)
  const REMOTE_KEYS = new Set(["MediaRecord", "F8"]);  // press once to talk, again to stop
  const BLOCKED = "Microphone blocked — allow it in the browser's site settings, then reload";

  let mode = box.dataset.mode;    // "push_to_talk" | "wake_phrase" (the server's "ready" has the last word)
  let wakePhrase = box.dataset.wakePhrase || "VisionSpace";
  let maxUtteranceMs = 10000;

  // --- the timeline (cheap, always on) ---------------------------------------------------------

  const frameAt = new Float64Array(RING);
  const framePeak = new Float32Array(RING);
  const timeline = {
    contextRate: null,
    streamAt: null,               // performance.now() when the microphone was granted (it delivers from then)
    frames: 0,                    // 20 ms frames captured since the microphone started
    talks: [],                    // {start, stop} of push-to-talk, performance.now() ms
    messages: [],                 // {type, at, ...} from the voice socket
    /** performance.now() when captured sample ``n`` (16 kHz, from capture start) reached this page. */
    sampleTime(n) {
      const f = Math.floor(n / FRAME);
      return f < timeline.frames && f >= timeline.frames - RING ? frameAt[f % RING] : null;
    },
    /** Peak level (0–1) of the frames from ``first`` on, for finding where speech is. */
    peaks(first, count) {
      const out = [];
      for (let f = Math.max(first, timeline.frames - RING); f < Math.min(first + count, timeline.frames); f++) {
        out.push(framePeak[f % RING]);
      }
      return out;
    },
  };
  function remember(message) {
    timeline.messages.push({...message, at: performance.now()});
    if (timeline.messages.length > 200) timeline.messages.shift();
  }

  // --- the badge and the push-to-talk control --------------------------------------------------

  let micState = "connecting";
  function show(state, text) {
    micState = state;
    box.dataset.state = state;
    stage.setMic(state, text);
  }
  function idleText() {
    return mode === "wake_phrase" ? `Listening — say “${wakePhrase}, …”` : "Hold Space to talk";
  }
  // The badge when nobody is talking: what the microphone and the socket allow right now.
  function settle() {
    if (!capture) return;  // the capture's own error (or "starting") stays
    if (capture.context.state === "suspended") return show("error", "Press any key or touch the screen to turn the microphone on");
    if (!ready) return show("connecting");
    show(mode === "wake_phrase" ? "listening" : "ready", idleText());
  }

  function applyMode() {
    box.dataset.mode = mode;
    const ptt = mode === "push_to_talk";
    talkButton.hidden = !ptt;
    help.textContent = ptt
      ? "Hold Space or the button while you speak · remote: Record (or F8) to start, again to stop"
      : `Say “${wakePhrase}, …” and then what you want to see, e.g. “${wakePhrase}, show me the fleet health”`;
  }

  // --- the socket --------------------------------------------------------------------------------

  let ws = null;
  let ready = false;
  let attempt = 0;
  let lastSent = 0;
  let idleMs = 30000;
  let lastError = "";

  function socketUrl() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    return `${proto}//${location.host}${box.dataset.socket}`;
  }

  function connect() {
    ready = false;
    ws = new WebSocket(socketUrl());
    ws.binaryType = "arraybuffer";
    ws.onmessage = (msg) => { if (typeof msg.data === "string") receive(JSON.parse(msg.data)); };
    ws.onclose = (ev) => {
      ready = false;
      ws = null;
      if (talking) endTalk(false);
      // These will not get better by retrying; the server's own "error" said why just before.
      if (ev.code === 4403) return show("error", `Voice off: ${lastError || "your role may not make requests here"}`);
      if (ev.code === 4404) return show("error", "Voice: this stage no longer exists — reload the page");
      if (ev.code === 4409) {
        stopCapture();
        return show("error", "Voice moved to another window with your account — reload to use it here");
      }
      if (micState !== "error") {
        show("connecting", ev.code === 4503 ? "Voice unavailable on the server — retrying…" : "Voice reconnecting…");
      }
      const delay = Math.min(30000, 500 * 2 ** attempt++) * (0.5 + Math.random() / 2);
      setTimeout(connect, delay);
    };
  }

  function send(data) {
    if (!ws || !ready || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(data);
    lastSent = performance.now();
    return true;
  }
  function sendJson(message) { return send(JSON.stringify(message)); }

  // A socket that sends nothing for idle_s is closed by the server: ping while nobody talks.
  setInterval(() => {
    if (ready && performance.now() - lastSent > idleMs / 3) sendJson({type: "ping"});
  }, 5000);

  function receive(m) {
    remember(m);
    switch (m.type) {
      case "ready":
        ready = true;
        attempt = 0;
        if (m.mode) mode = m.mode;
        if (m.wake_phrase) wakePhrase = m.wake_phrase;
        if (m.max_utterance_s) maxUtteranceMs = m.max_utterance_s * 1000;
        if (m.idle_s) idleMs = m.idle_s * 1000;
        if (m.sample_rate && m.sample_rate !== RATE) console.warn("voice: the server wants", m.sample_rate, "Hz");
        if (mode === "off") { box.hidden = true; stopCapture(); show("off"); ws.close(1000); return; }
        applyMode();
        settle();
        break;
      case "listening":
        if (micState === "error") break;
        if (m.speech) show("speech");
        else if (talking) show("listening");
        else settle();
        break;
      case "partial":
        if (m.text) stage.caption(m.text, false);
        break;
      case "final":
        if (m.text) stage.caption(m.text, true);
        stage.alert(null);
        turnOver();
        break;
      case "refused":
        stage.alert(m.message || "Sorry, I didn't catch that.", m.suggestion ? [m.suggestion] : []);
        turnOver();
        break;
      case "error":
        lastError = m.message || "";
        // A closing socket's reason is shown on the badge (onclose); the rest are worth a note.
        if (ready && !["idle", "replaced", "forbidden", "voice_off", "not_found", "unavailable", "overloaded"].includes(m.code)) {
          stage.note(m.message || "The voice input had a problem.", "warning");
        }
        break;
      default:
        break;
    }
  }

  // The server ended the turn (VAD or the time limit): a toggled talk is over too.
  function turnOver() {
    if (talking) endTalk(false);
    else settle();
  }

  // --- capture -------------------------------------------------------------------------------------

  let capture = null;             // {stream, context, node}
  const preRoll = [];

  function captureError(err) {
    const name = err && err.name;
    if (name === "NotAllowedError" || name === "SecurityError") return BLOCKED;
    if (name === "NotFoundError" || name === "OverconstrainedError") return "No microphone found — plug one in, then reload";
    if (name === "NotReadableError" || name === "AbortError") return "Microphone busy in another program — close it, then reload";
    return `Microphone unavailable (${name || err}) — reload to try again`;
  }

  async function startCapture() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return show("error", "Microphone needs a secure page — open this stage over https://");
    }
    if (!window.AudioWorkletNode) return show("error", "This browser cannot capture audio — use a current Chrome, Edge or Firefox");
    // The context and its worklet first: a microphone delivers from the moment it is granted, and
    // whatever it hears before the worklet is connected is gone (loading the module took seconds
    // on a busy machine, and the first words with it).
    // Chromium resamples the track to the context's rate; the worklet resamples when a browser will not.
    let context;
    try { context = new AudioContext({sampleRate: RATE}); } catch (err) { context = new AudioContext(); }
    timeline.contextRate = context.sampleRate;
    try {
      await context.audioWorklet.addModule(box.dataset.worklet);
    } catch (err) {
      context.close().catch(() => {});
      return show("error", "The audio processor did not load — check the connection, then reload");
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia(
        {audio: {channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: false}});
    } catch (err) {
      context.close().catch(() => {});
      return show("error", captureError(err));
    }
    timeline.streamAt = performance.now();
    const source = context.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(context, "pcm-framer",
      {numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: "explicit"});
    node.port.onmessage = (e) => frame(e.data);
    source.connect(node);
    capture = {stream, context, node};
    stream.getAudioTracks().forEach((track) => track.addEventListener("ended", () => {
      stopCapture();
      show("error", "Microphone disconnected — plug it back in, then reload");
    }));
    if (context.state === "suspended") {
      // Autoplay policy: audio starts with the first touch or key press on this page.
      const resume = () => context.resume().then(settle);
      document.addEventListener("keydown", resume, {once: true, capture: true});
      document.addEventListener("pointerdown", resume, {once: true, capture: true});
    }
    settle();
  }

  function stopCapture() {
    if (!capture) return;
    capture.stream.getTracks().forEach((t) => t.stop());
    capture.context.close().catch(() => {});
    capture = null;
  }

  function frame({pcm, index, peak}) {
    const f = index / FRAME;
    frameAt[f % RING] = performance.now();
    framePeak[f % RING] = peak;
    timeline.frames = f + 1;
    if (mode === "wake_phrase" || talking) { send(pcm); return; }
    preRoll.push(pcm);
    if (preRoll.length > PRE_ROLL_FRAMES) preRoll.shift();
  }

  // --- push to talk --------------------------------------------------------------------------------

  let talking = null;             // {how: "hold" | "toggle", timer}

  function beginTalk(how) {
    if (talking || mode !== "push_to_talk") return;
    if (!capture || !ready || micState === "error") {
      if (micState !== "error") show("connecting", "Voice not connected yet — try again in a moment");
      return;
    }
    if (!sendJson({type: "start"})) return;
    preRoll.splice(0).forEach((pcm) => send(pcm));
    talking = {how, timer: setTimeout(() => endTalk(true), maxUtteranceMs)};
    timeline.talks.push({start: performance.now(), stop: null, how});
    talkButton.setAttribute("aria-pressed", "true");
    talkButton.querySelector(".voice-talk-label").textContent = how === "toggle" ? "Talking — press again to stop" : "Talking…";
    show("listening");
  }

  function endTalk(sendStop) {
    if (!talking) return;
    clearTimeout(talking.timer);
    if (sendStop) sendJson({type: "stop"});
    talking = null;
    const last = timeline.talks[timeline.talks.length - 1];
    if (last && last.stop === null) last.stop = performance.now();
    talkButton.setAttribute("aria-pressed", "false");
    talkButton.querySelector(".voice-talk-label").textContent = "Hold to talk";
    settle();
  }

  function toggleTalk() { if (talking) endTalk(true); else beginTalk("toggle"); }

  // Space held anywhere that is not a control of its own (the text box, a button, the open player).
  function spaceIsOurs() {
    if (stage.playerOpen()) return false;
    const el = document.activeElement;
    return !el || !el.closest("input, textarea, select, button, a, [contenteditable]");
  }

  document.addEventListener("keydown", (e) => {
    if (mode !== "push_to_talk" || e.altKey || e.ctrlKey || e.metaKey) return;
    if (REMOTE_KEYS.has(e.key)) {
      e.preventDefault();
      if (!e.repeat) toggleTalk();
    } else if (e.key === " " && spaceIsOurs()) {
      e.preventDefault();
      if (!e.repeat) beginTalk("hold");
    }
  });
  document.addEventListener("keyup", (e) => {
    if (e.key === " " && talking && talking.how === "hold") { e.preventDefault(); endTalk(true); }
  });
  // Focus leaving the page mid-press never sends a keyup: end the turn there.
  window.addEventListener("blur", () => { if (talking && talking.how === "hold") endTalk(true); });

  talkButton.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    e.preventDefault();  // no focus ring flash, no text selection on a long press
    if (talking) { endTalk(true); return; }  // a talk toggled on by a key ends with a touch too
    talkButton.setPointerCapture(e.pointerId);
    beginTalk("hold");
  });
  const release = () => { if (talking && talking.how === "hold") endTalk(true); };
  talkButton.addEventListener("pointerup", release);
  talkButton.addEventListener("pointercancel", release);
  talkButton.addEventListener("lostpointercapture", release);
  talkButton.addEventListener("contextmenu", (e) => e.preventDefault());
  // On the focused button, Enter or Space toggles (holding a key repeats it, which a toggle ignores).
  talkButton.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    e.preventDefault();
    e.stopPropagation();
    if (!e.repeat) toggleTalk();
  });
  talkButton.addEventListener("keyup", (e) => { if (e.key === " " || e.key === "Enter") e.preventDefault(); });
  talkButton.addEventListener("click", (e) => e.preventDefault());  // pointer and keys are handled above

  window.addEventListener("pagehide", () => { stopCapture(); if (ws) ws.close(1000); });

  window.VisionSpaceVoice = {
    timeline,
    get mode() { return mode; },
    get talking() { return Boolean(talking); },
    get connected() { return ready; },
  };

  applyMode();
  show("connecting");
  connect();
  startCapture().catch((err) => show("error", captureError(err)));
})();
