/* The shell: announcements for every screen, the live-state badge, the ops feed. */
(function () {
  "use strict";
  const badge = document.getElementById("live-state");
  const setState = (name) => {
    if (!badge) return;
    badge.dataset.state = name;
    badge.textContent = {open: "Live updates: on", connecting: "Live updates: connecting…", closed: "Live updates: reconnecting…"}[name];
  };

  function showAnnouncement(e) {
    const box = document.getElementById("announcements");
    const div = document.createElement("div");
    div.className = "announcement";
    div.dataset.level = e.payload.level;
    div.textContent = e.payload.message;   /* text, never HTML */
    box.replaceChildren(div);
  }

  function feed(e) {
    const list = document.getElementById("event-feed");
    if (!list) return;
    const li = document.createElement("li");
    li.textContent = `#${e.seq} ${e.group} ${e.type} ${JSON.stringify(e.payload)}`;
    list.prepend(li);
    while (list.children.length > 200) list.lastChild.remove();
  }

  new VisionSpaceEvents("public", {
    onState: setState,
    onEvent(e) { if (e.type === "system.announcement") showAnnouncement(e); feed(e); },
  });
  const list = document.getElementById("event-feed");
  if (list && list.dataset.groups.includes("ops")) new VisionSpaceEvents("ops", {onEvent: feed});
})();
