// Warn before the idle logout (30 minutes without a request, counted by the server). The deadline comes from
// data attributes on <body>; the time left is measured from page load, so the server's and the browser's
// clocks need not agree. "Forbliv logget ind" makes a request, which starts the 30 minutes again.
(function () {
  const body = document.body;
  const box = document.getElementById("inaktiv-advarsel");
  if (!box || !body.dataset.idleDeadline) return;
  const warnSeconds = Number(body.dataset.idleWarnSeconds || 120);
  let deadline;
  let timer;

  function reset(deadlineIso, serverNowIso) {
    const left = Date.parse(deadlineIso) - Date.parse(serverNowIso);
    deadline = Date.now() + left;
    box.hidden = true;
    schedule();
  }

  function schedule() {
    clearTimeout(timer);
    const untilWarning = deadline - warnSeconds * 1000 - Date.now();
    timer = setTimeout(tick, Math.max(0, Math.min(untilWarning, 60000)));
  }

  function tick() {
    const now = Date.now();
    if (now >= deadline) {
      window.location.assign(body.dataset.loginUrl);
      return;
    }
    if (now >= deadline - warnSeconds * 1000) {
      const at = new Date(deadline);
      document.getElementById("inaktiv-tid").textContent =
        String(at.getHours()).padStart(2, "0") + ":" + String(at.getMinutes()).padStart(2, "0");
      if (box.hidden) {
        box.hidden = false;
        document.getElementById("inaktiv-fortsaet").focus();
      }
      clearTimeout(timer);
      timer = setTimeout(tick, Math.min(1000, deadline - now));
      return;
    }
    schedule();
  }

  document.getElementById("inaktiv-fortsaet").addEventListener("click", async () => {
    const response = await fetch(body.dataset.keepaliveUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok || response.redirected) {
      window.location.assign(body.dataset.loginUrl);
      return;
    }
    const state = await response.json();
    reset(state.idle_deadline, state.server_now);
  });

  reset(body.dataset.idleDeadline, body.dataset.serverNow);
})();
