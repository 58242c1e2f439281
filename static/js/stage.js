/* The stage (docs/stage.md): idle prompt and captions, the progress ring of the job being
 * made, and the pop-up player. Everything arrives as events on the stage's group; the page
 * starts from the server's snapshot and resumes the websocket from the seq it was read at. */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const root = $("stage");
  const snap = JSON.parse($("stage-snapshot").textContent);
  const SEEK_S = 5;
  const SHOWN = "visionspace.stage.shown." + snap.group;  // videos this tab popped up already
  const OPEN = new Set(["queued", "planning", "rendering"]);

  const jobs = new Map();     // job id → latest stage.job payload
  // When things happened on this page (performance.now() ms), for tests and benches:
  // jobs[id] = {events: {step: {at, ts}}, play: {at, source}, firstFrame: {at, presented}}.
  const timeline = {jobs: {}};
  function jobTimeline(job) {
    if (!timeline.jobs[job]) {
      timeline.jobs[job] = {events: {}, play: null, firstFrame: null};
      const ids = Object.keys(timeline.jobs);
      if (ids.length > 50) delete timeline.jobs[ids[0]];
    }
    return timeline.jobs[job];
  }
  let player = null;          // {job, source, hls}
  const waiting = [];         // stage.video payloads behind the one playing

  // --- the idle view, captions, notes, alerts --------------------------------------------------

  function setView(name) { root.dataset.view = name; }

  let captionTimer = null;
  function caption(text, final) {
    const el = $("stage-caption");
    el.textContent = text;
    el.dataset.final = String(final);
    clearTimeout(captionTimer);
    if (final) captionTimer = setTimeout(() => { el.textContent = ""; }, 20000);
  }

  function note(message, level) {
    const li = document.createElement("li");
    li.className = "stage-note";
    li.dataset.level = level || "info";
    li.textContent = message;
    $("stage-notes").append(li);
    setTimeout(() => li.remove(), 15000);
  }

  function alertBox(message, suggestions) {
    const box = $("stage-alert");
    if (!message) { box.hidden = true; return; }
    $("stage-alert-text").textContent = message;
    const list = $("stage-suggestions");
    list.replaceChildren(...(suggestions || []).map((text) => {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button-quiet";
      button.textContent = text;
      button.addEventListener("click", () => submit(text));
      li.append(button);
      return li;
    }));
    box.hidden = false;
  }

  // --- the progress ring ----------------------------------------------------------------------

  function showProgress(p) {
    const box = $("stage-progress");
    const percent = Math.round((p.fraction || 0) * 100);
    $("ring-bar").setAttribute("stroke-dashoffset", String(100 - percent));
    $("stage-percent").textContent = percent + "%";
    let step = p.message || p.step;
    if (p.state === "queued") step = p.position > 1 ? `Waiting: ${p.position - 1} ahead` : "Starting…";
    $("stage-step").textContent = step;
    $("stage-request").textContent = "“" + p.request + "”";
    box.setAttribute("aria-valuenow", String(percent));
    box.dataset.job = p.job;
    box.dataset.state = p.state;
    box.dataset.step = p.step;
    box.hidden = false;
    if (player && player.job === p.job) $("player-status").textContent = `Still being made: ${percent}%`;
  }

  function current() {
    // The job being made, else the oldest one waiting.
    let queued = null;
    for (const p of jobs.values()) {
      if (p.state === "planning" || p.state === "rendering") return p;
      if (p.state === "queued" && !queued) queued = p;
    }
    return queued;
  }

  function refresh() {
    const p = current();
    if (!p || !player || player.job !== p.job) $("player-status").textContent = "";
    if (p) { showProgress(p); } else { $("stage-progress").hidden = true; }
    if (!player) setView(p ? "working" : "idle");
  }

  function onJob(p, ts) {
    if (p.job) {
      const step = p.state === "rendering" && p.playlist ? "first_segment" : p.state;
      const events = jobTimeline(p.job).events;
      if (!events[step]) events[step] = {at: performance.now(), ts: ts || null};
    }
    if (p.state === "refused") {
      alertBox(p.message, p.suggestions);
      return;
    }
    jobs.set(p.job, p);
    if (OPEN.has(p.state)) alertBox(null);
    if (p.state === "failed") {
      alertBox(`That video could not be made: ${p.error || "unknown error"}`, []);
      if (player && player.job === p.job) closePlayer();
    } else if (p.state === "cancelled" && p.error) {
      note(p.error, "info");
      if (player && player.job === p.job) closePlayer();
    }
    if (!OPEN.has(p.state)) jobs.delete(p.job);
    // The renderer's first HLS segment exists: start playing while the rest is made.
    const playing = player && player.job === p.job;
    if (p.playlist && p.state === "rendering" && !(playing && player.source === p.playlist)
        && (playing || (!player && !shown().includes(p.job)))) {
      play({job: p.job, playlist: p.playlist, title: p.request, start: p.start});
    }
    refresh();
  }

  // --- the player -----------------------------------------------------------------------------

  const dialog = $("stage-player");
  const video = $("stage-video");

  function shown() { return JSON.parse(sessionStorage.getItem(SHOWN) || "[]"); }
  function markShown(job) {
    const list = shown().filter((j) => j !== job).concat([job]).slice(-50);
    sessionStorage.setItem(SHOWN, JSON.stringify(list));
  }

  // hls.js (Media Source Extensions) first, native HLS only without it: Chromium 15x answers
  // "maybe" for HLS but its native player cannot parse our growing fMP4 playlist.
  function useHlsJs() { return Boolean(window.Hls && window.Hls.isSupported()); }
  function hlsPlayable() { return useHlsJs() || video.canPlayType("application/vnd.apple.mpegurl") !== ""; }

  // The first frame of each job's video on screen (requestVideoFrameCallback, where there is one).
  function watchFirstFrame(job, source) {
    const entry = jobTimeline(job);
    entry.play = entry.play || {at: performance.now(), source};
    if (entry.firstFrame || !video.requestVideoFrameCallback) return;
    video.requestVideoFrameCallback((now, meta) => {
      if (player && player.job === job && !entry.firstFrame) {
        entry.firstFrame = {at: now, presented: meta.presentationTime, mediaTime: meta.mediaTime};
      }
    });
  }

  // Where the player's start-up time goes (the first of each step, performance.now() ms).
  function markHls(hls, entry) {
    entry.hls = entry.hls || {};
    const E = window.Hls.Events;
    for (const [event, name] of [[E.MEDIA_ATTACHED, "attached"], [E.MANIFEST_PARSED, "manifest"],
                                 [E.LEVEL_LOADED, "level"], [E.FRAG_LOADING, "loading"],
                                 [E.FRAG_LOADED, "fragment"], [E.BUFFER_CREATED, "buffers"],
                                 [E.FRAG_BUFFERED, "buffered"]]) {
      hls.once(event, () => { if (!entry.hls[name]) entry.hls[name] = performance.now(); });
    }
  }

  // The first-segment event carries the playlist and the init segment (docs/stage.md, "Playback"):
  // hls.js takes them from memory, and the first media segment is fetched as the event arrives
  // instead of after two round trips. url → Promise of the body (null: fetch it the usual way).
  function primed(playlistUrl, inline) {
    const text = inline && inline.playlist_text;
    if (typeof text !== "string") return null;
    const base = new URL(playlistUrl, location.href);
    const bodies = new Map([[base.href, Promise.resolve(text)]]);
    const map = /^#EXT-X-MAP:.*URI="([^"]+)"/m.exec(text);
    if (map && inline.init_b64) {
      let init = null;
      try { init = Uint8Array.from(atob(inline.init_b64), (c) => c.charCodeAt(0)).buffer; } catch (_err) {}
      if (init) bodies.set(new URL(map[1], base).href, Promise.resolve(init));  // else fetched as usual
    }
    const first = text.split("\n").map((line) => line.trim()).find((line) => line && !line.startsWith("#"));
    if (first) {
      const url = new URL(first, base).href;
      bodies.set(url, fetch(url, {credentials: "same-origin"})
        .then((r) => (r.ok ? r.arrayBuffer() : null)).catch(() => null));
    }
    return bodies;
  }

  // hls.js's own loader, answering from `bodies` (the playlist once, the segments whenever asked:
  // they never change) and from the network otherwise.
  function primedLoader(bodies) {
    const Base = window.Hls.DefaultConfig.loader;
    return class PrimedLoader extends Base {
      load(context, config, callbacks) {
        const url = new URL(context.url, location.href).href;
        const body = context.rangeStart || context.rangeEnd ? null : bodies.get(url);
        if (!body) { super.load(context, config, callbacks); return; }
        if (!context.frag) bodies.delete(url);  // the playlist grows: its reloads go to the server
        this.callbacks = callbacks;
        this.context = context;
        this.stats.loading.start = performance.now();
        body.then((data) => {
          if (!this.callbacks || this.stats.aborted) return;  // destroyed or aborted meanwhile
          if (data === null) { this.stats.loading.start = 0; super.load(context, config, callbacks); return; }
          const now = performance.now();
          this.stats.loading.first = now;
          this.stats.loading.end = now + 1;  // not zero: hls.js divides by the load time
          const copy = typeof data === "string" ? data : data.slice(0);  // hls.js may detach what it is given
          this.stats.loaded = this.stats.total = typeof copy === "string" ? copy.length : copy.byteLength;
          this.callbacks.onSuccess({url: context.url, data: copy}, this.stats, context, null);
        });
      }
      abort() { this.stats.aborted = true; super.abort(); }
    };
  }

  function load(source, isPlaylist, inline) {
    if (player && player.hls) { player.hls.destroy(); player.hls = null; }
    watchFirstFrame(player.job, source);
    video.removeAttribute("src");
    if (isPlaylist && useHlsJs()) {
      // From the beginning: a growing (EVENT) playlist would otherwise start near its live edge.
      // The media first, then the playlist: with the MediaSource already open, hls.js asks for the
      // first fragment as soon as it has read the playlist (attached the other way round, it waited
      // for its next 100 ms tick). No interstitials (we have none). No worker: booting one (it
      // evaluates all of hls.js) cost ~80 ms before the first append; fMP4 passes through as it is.
      const config = {startPosition: 0, lowLatencyMode: false, maxBufferLength: 30,
                      enableInterstitialPlayback: false, enableWorker: false};
      const bodies = primed(source, inline);
      if (bodies) config.loader = primedLoader(bodies);
      jobTimeline(player.job).primed = Boolean(bodies);
      const hls = new window.Hls(config);
      markHls(hls, jobTimeline(player.job));
      hls.on(window.Hls.Events.ERROR, (_event, data) => {
        if (data.fatal && player && player.mp4) { hls.destroy(); player.hls = null; load(player.mp4, false); }
      });
      hls.once(window.Hls.Events.MEDIA_ATTACHED, () => hls.loadSource(source));
      hls.attachMedia(video);
      player.hls = hls;
    } else {
      video.src = source;
    }
    start();
  }

  function start() {
    const attempt = video.play();
    if (attempt && attempt.catch) {
      attempt.catch(() => {
        // A screen nobody has touched may not play sound on its own: play muted and say so.
        video.muted = true;
        video.play().catch(() => {});
        note("Sound is off: press M to turn it on.", "info");
      });
    }
  }

  function setCaptions(url) {
    if (!url || video.querySelector(`track[src="${CSS.escape(url)}"]`)) return;
    video.querySelectorAll("track").forEach((t) => t.remove());
    const track = document.createElement("track");
    track.kind = "captions";
    track.label = "English";
    track.srclang = "en";
    track.src = url;
    track.default = true;
    video.append(track);
    track.track.mode = "showing";
  }

  /* v: {job, title, playlist?, start?, mp4?, captions?, poster?} — a stage.video, or a first segment. */
  function play(v) {
    const source = hlsPlayable() && v.playlist ? v.playlist : v.mp4;
    if (!source) return;  // a first segment this browser cannot play: wait for the MP4
    if (player && player.job !== v.job) { waiting.push(v); return; }
    const fresh = !player;
    if (fresh) player = {job: v.job, source: null, hls: null};
    player.mp4 = v.mp4 || player.mp4;
    $("player-title").textContent = v.title || "";
    dialog.dataset.job = v.job;
    if (v.poster) video.poster = v.poster;
    if (source !== player.source) {
      player.source = source;
      load(source, source === v.playlist, v.start);
    }
    setCaptions(v.captions);
    if (v.captions) markShown(v.job);
    if (!dialog.open) { dialog.showModal(); video.focus(); }
    setView("playing");
  }

  function onVideo(v) {
    if (shown().includes(v.job) && !(player && player.job === v.job)) return;
    play(v);
  }

  function closePlayer() {
    if (dialog.open) dialog.close(); else cleanup();
  }

  function cleanup() {
    if (player && player.hls) player.hls.destroy();
    if (player) markShown(player.job);
    player = null;
    video.pause();
    video.removeAttribute("src");
    video.removeAttribute("poster");
    video.querySelectorAll("track").forEach((t) => t.remove());
    video.load();
    delete dialog.dataset.job;
    setView("idle");
    refresh();
    const next = waiting.shift();
    if (next) play(next);
    else { const input = $("stage-text"); if (input) input.focus(); }
  }

  dialog.addEventListener("close", cleanup);
  video.addEventListener("ended", closePlayer);
  video.addEventListener("error", () => {
    // No HLS here (no hls.js, no native support): the MP4 plays everywhere, once it exists.
    if (player && player.mp4 && player.source !== player.mp4) { player.source = player.mp4; load(player.mp4, false); }
  });
  $("player-close").addEventListener("click", closePlayer);

  function togglePlay() { if (video.paused) video.play().catch(() => {}); else video.pause(); }
  function seek(delta) {
    const end = Number.isFinite(video.duration) ? video.duration : Infinity;
    video.currentTime = Math.max(0, Math.min(end, video.currentTime + delta));
  }
  function fullscreen() {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else video.requestFullscreen().catch(() => {});  // a dialog may not be full screen itself
  }

  // Keyboards and TV remotes (arrows, OK/Enter, media keys). Esc is the dialog's own "cancel".
  dialog.addEventListener("keydown", (e) => {
    if (e.target instanceof HTMLButtonElement && (e.key === "Enter" || e.key === " ")) return;
    const action = {
      " ": togglePlay, "Enter": togglePlay, "k": togglePlay, "MediaPlayPause": togglePlay,
      "MediaPlay": () => video.play(), "MediaPause": () => video.pause(),
      "ArrowLeft": () => seek(-SEEK_S), "ArrowRight": () => seek(SEEK_S),
      "MediaRewind": () => seek(-SEEK_S), "MediaFastForward": () => seek(SEEK_S),
      "f": fullscreen, "F": fullscreen, "m": () => { video.muted = !video.muted; }, "M": () => { video.muted = !video.muted; },
      "MediaStop": closePlayer, "BrowserBack": closePlayer,
    }[e.key];
    if (action) { e.preventDefault(); action(); }
  });

  // --- requests -------------------------------------------------------------------------------

  const form = $("stage-form");
  async function submit(text) {
    if (!form) return;
    const data = new FormData(form);
    data.set("text", text);
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const response = await fetch(root.dataset.requestUrl, {
        method: "POST", body: data, credentials: "same-origin",
        headers: {"Accept": "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken")},
      });
      const body = (response.headers.get("Content-Type") || "").includes("json") ? await response.json() : {};
      if (response.status === 201) { form.reset(); alertBox(null); onJob(body.job); }
      else if (response.status === 400) alertBox(body.message, body.suggestions);
      else if (response.status === 403) alertBox("Your role may not make requests on this stage.", []);
      else alertBox(`The request was not taken (HTTP ${response.status}); try again.`, []);
    } catch (err) {
      alertBox("The request did not reach the server; check the connection and try again.", []);
    } finally {
      button.disabled = false;
    }
  }
  if (form) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const text = form.elements.text.value.trim();
      if (text) submit(text);
    });
  }

  // --- the event stream -----------------------------------------------------------------------

  function apply(state) {
    jobs.clear();
    if (state.job) onJob(state.job);
    if (state.video) onVideo(state.video);
    refresh();
  }

  const conn = $("stage-conn");
  function setConn(name) {
    conn.dataset.state = name;
    conn.textContent = {open: "Live", connecting: "Connecting…", closed: "Reconnecting…"}[name];
  }

  // Resume from the seq the snapshot was read at: what came before is in the snapshot.
  sessionStorage.setItem("visionspace.events." + snap.group, JSON.stringify({seq: snap.seq, epoch: snap.epoch}));
  apply(snap);
  new VisionSpaceEvents(snap.group, {
    onState: setConn,
    onEvent(e) {
      const p = e.payload;
      if (e.type === "stage.job") onJob(p, e.ts);
      else if (e.type === "stage.video") onVideo(p);
      else if (e.type === "stage.caption") caption(p.text, p.final);
      else if (e.type === "stage.note") note(p.message, p.level);
    },
    async onReset() {
      const response = await fetch(root.dataset.stateUrl, {headers: {"Accept": "application/json"}});
      if (response.ok) apply(await response.json());
    },
  });

  // For the voice input (static/js/voice.js) and for tests and benches.
  const MIC_TEXT = {off: "Microphone off", connecting: "Microphone starting…", ready: "Hold Space to talk",
                    listening: "Listening…", speech: "Hearing speech…", error: "Microphone unavailable"};
  window.VisionSpaceStage = {
    setMic(state, text) {
      const mic = $("stage-mic");
      mic.dataset.mic = state;
      mic.textContent = text || MIC_TEXT[state] || state;
    },
    caption,
    note,
    alert: alertBox,
    playerOpen: () => dialog.open,
    timeline,
  };
})();
