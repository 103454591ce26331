// Agent console helpers: keyboard shortcuts, offer sound and browser notifications.
window.ccConsole = (() => {
  let shortcutsRef = null;
  const typingTags = new Set(["INPUT", "TEXTAREA", "SELECT"]);

  function onKey(e) {
    if (!shortcutsRef || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target;
    const typing = target && (typingTags.has(target.tagName) || target.isContentEditable);
    if (typing && e.key !== "Escape") return;
    const keys = ["j", "k", "r", "n", "e", "a", "d", "t", "?", "Escape", "/"];
    if (!keys.includes(e.key)) return;
    e.preventDefault();
    shortcutsRef.invokeMethodAsync("OnShortcut", e.key);
  }

  return {
    registerShortcuts(ref) {
      shortcutsRef = ref;
      document.addEventListener("keydown", onKey);
    },
    unregisterShortcuts() {
      document.removeEventListener("keydown", onKey);
      shortcutsRef = null;
    },
    scrollIntoView(selector) {
      const el = document.querySelector(selector);
      if (el) el.scrollIntoView({ block: 'nearest' });
    },
    focus(selector) {
      const el = document.querySelector(selector);
      if (el) el.focus();
    },
    beep() {
      try {
        const ctx = new (window.AudioContext || window.webkitAudioContext)();
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = "sine";
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.15, ctx.currentTime);
        gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4);
        osc.connect(gain).connect(ctx.destination);
        osc.start();
        osc.stop(ctx.currentTime + 0.4);
      } catch { /* no audio device: the banner is still shown */ }
    },
    loadDark(user) {
      try { return localStorage.getItem("cc-dark:" + user) === "1"; } catch { return false; }
    },
    saveDark(user, dark) {
      try { localStorage.setItem("cc-dark:" + user, dark ? "1" : "0"); } catch { /* private mode: not remembered */ }
    },
    async notify(title, body) {
      if (!("Notification" in window)) return;
      if (Notification.permission === "default") {
        try { await Notification.requestPermission(); } catch { return; }
      }
      if (Notification.permission === "granted" && document.visibilityState !== "visible") {
        new Notification(title, { body });
      }
    },
  };
})();
