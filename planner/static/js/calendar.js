/* The editorial calendar: FullCalendar month/week grid, findings panel, drag to reschedule.
 *
 * Times cross the wire as the workspace's wall-clock time without an offset
 * ("2026-11-24T09:00:00"). FullCalendar, given a named time zone and no time-zone plugin,
 * treats such strings as "UTC-coerced" dates, so every Date it hands back carries the
 * wall clock in its UTC fields; the server converts to and from UTC with zoneinfo.
 * Forms marked `data-calendar-action` work without JavaScript; here they are sent with
 * fetch (CSRF header, JSON answer) so the grid and the panel update at once.
 */
(function () {
  "use strict";

  const root = document.getElementById("calendar");
  if (!root || typeof FullCalendar === "undefined") {
    return;
  }
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  const panel = document.getElementById("cal-findings-panel");
  const statusLine = document.getElementById("calendar-status");
  const dialog = document.getElementById("cal-piece-dialog");
  const dialogBody = document.getElementById("piece-dialog-body");
  // The agenda and the CSV export follow the range the grid shows.
  const rangeLinks = document.querySelectorAll("#agenda-link, #calendar-export");
  const zone = root.dataset.timezone;
  const filters = new URLSearchParams(root.dataset.filters || "");
  const pad = (n) => String(n).padStart(2, "0");

  /* The wall clock a UTC-coerced Date stands for, as "YYYY-MM-DDTHH:MM:SS". */
  function wallString(date) {
    return (
      `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
      `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
    );
  }

  function dateString(date) {
    return wallString(date).slice(0, 10);
  }

  /* Now on the workspace's wall clock, as a UTC-coerced Date (for "today" and the now line). */
  function wallNow() {
    const parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date())
      .forEach((p) => {
        parts[p.type] = p.value;
      });
    return new Date(
      Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second)
    );
  }

  function say(message, isError) {
    statusLine.textContent = message;
    statusLine.classList.toggle("calendar-status-error", Boolean(isError));
  }

  async function send(url, payload) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken,
      },
      body: JSON.stringify(payload),
    });
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      const error = (body && body.error) || {};
      const details = error.details && typeof error.details === "object" ? error.details : {};
      const message =
        details.scheduled_at || error.message || `The server answered ${response.status}.`;
      throw new Error(message);
    }
    return body;
  }

  let visible = null;

  async function refreshPanel() {
    if (!visible || !panel) {
      return;
    }
    const query = new URLSearchParams(filters);
    query.set("start", visible.start);
    query.set("end", visible.end);
    const response = await fetch(`${root.dataset.findingsUrl}?${query}`, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    });
    if (response.ok) {
      panel.innerHTML = await response.text();
    }
  }

  function refreshAll() {
    calendar.refetchEvents();
    return refreshPanel();
  }

  function findingLines(findings) {
    return findings.map((f) => `${f.severity}: ${f.message}`).join("\n");
  }

  function eventContent(arg) {
    if (arg.event.display === "background") {
      return true;
    }
    const props = arg.event.extendedProps;
    const wrap = document.createElement("div");
    wrap.className = "pp-event-body";
    const badge = document.createElement("span");
    badge.className = `pp-dot level-${props.verdict || "none"}`;
    badge.setAttribute("aria-hidden", "true");
    wrap.appendChild(badge);
    // In the week grid the event's position already says the time.
    if (arg.timeText && !arg.view.type.startsWith("timeGrid")) {
      const time = document.createElement("span");
      time.className = "pp-event-time";
      time.textContent = arg.timeText;
      wrap.appendChild(time);
    }
    const title = document.createElement("span");
    title.className = "pp-event-title";
    title.textContent = arg.event.title;
    wrap.appendChild(title);
    if (props.findings.length) {
      const count = document.createElement("span");
      count.className = `pp-finding-count cal-severity-${props.worst}`;
      count.setAttribute("aria-hidden", "true");
      count.textContent = `⚠ ${props.findings.length}`;
      wrap.appendChild(count);
    }
    // Said to screen readers after the visible words, so the link's name starts with what
    // is on screen (WCAG 2.5.3) and the details are not lost.
    const details = document.createElement("span");
    details.className = "visually-hidden";
    details.textContent = `, ${eventDetails(props)}`;
    wrap.appendChild(details);
    return { domNodes: [wrap] };
  }

  function eventDidMount(arg) {
    if (arg.event.display === "background") {
      arg.el.title = arg.event.title;
      return;
    }
    const props = arg.event.extendedProps;
    const lines = props.findings.length ? `\n${findingLines(props.findings)}` : "";
    arg.el.title = `${arg.event.title} — ${eventDetails(props)}${lines}`;
    arg.el.dataset.pieceId = arg.event.id;
  }

  function eventDetails(props) {
    const verdict = props.verdict ? `audit ${props.verdict}` : "not audited";
    const count = props.findings.length;
    return `${props.channel || "no channel"}, ${props.content_type}, ${verdict}, ${count} finding${count === 1 ? "" : "s"}`;
  }

  /* FullCalendar's arrow icons are role="img" without a name; the buttons carry the name. */
  function quietIcons() {
    root.querySelectorAll(".fc-icon[role=img]").forEach((icon) => {
      icon.removeAttribute("role");
      icon.setAttribute("aria-hidden", "true");
    });
  }

  /* Show a piece's card in the dialog; a refresh leaves a dialog closed meanwhile closed. */
  let openedFrom = null;

  async function openPiece(pieceId, refreshOnly) {
    if (!refreshOnly) {
      openedFrom = { pieceId: String(pieceId), element: document.activeElement };
    }
    const url = root.dataset.cardUrl.replace("__ID__", pieceId);
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok) {
      say("That piece could not be loaded; it may have been deleted.", true);
      return;
    }
    const html = await response.text();
    if (refreshOnly && !dialog.open) {
      return;
    }
    dialogBody.innerHTML = html;
    if (!dialog.open) {
      dialog.showModal();
    }
  }

  async function post(url, payload, revert) {
    try {
      const body = await send(url, payload);
      say(body.message);
      await refreshAll();
      return body;
    } catch (error) {
      // A refused move (409: a published piece, say) changes nothing: put the event
      // back, say why, and redraw from the server in case the piece changed meanwhile.
      if (revert) {
        revert();
      }
      say(error.message, true);
      refreshAll().catch(() => {});
      throw error;
    }
  }

  /* Narrow screens get the list view: a month grid does not fit a phone. */
  const narrow = window.matchMedia("(max-width: 768px)");
  const wideView = root.dataset.initialView || "dayGridMonth";

  function heightFor(viewType) {
    return viewType === "timeGridWeek" ? 760 : "auto";
  }

  const calendar = new FullCalendar.Calendar(root, {
    timeZone: zone,
    now: wallNow,
    initialView: narrow.matches ? "listWeek" : wideView,
    initialDate: root.dataset.initialDate || undefined,
    firstDay: 1,
    height: heightFor(narrow.matches ? "listWeek" : wideView),
    views: { timeGridWeek: { dayHeaderFormat: { weekday: "short", day: "numeric" } } },
    allDaySlot: false,
    displayEventEnd: false,
    nowIndicator: true,
    weekNumbers: false,
    dayMaxEvents: 4,
    slotDuration: "00:30:00",
    scrollTime: "07:00:00",
    eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    headerToolbar: {
      left: "prev,next today",
      center: "title",
      right: "dayGridMonth,timeGridWeek,listWeek",
    },
    buttonText: { today: "Today", month: "Month", week: "Week", list: "List" },
    editable: root.dataset.editable === "true",
    eventInteractive: true, // events take focus; Enter opens the piece like a click
    eventDurationEditable: false,
    eventSources: [{ url: root.dataset.eventsUrl, extraParams: () => Object.fromEntries(filters) }],
    eventContent: eventContent,
    eventDidMount: eventDidMount,
    eventClick(info) {
      info.jsEvent.preventDefault();
      openPiece(info.event.id);
    },
    eventDrop(info) {
      const url = root.dataset.rescheduleUrl.replace("__ID__", info.event.id);
      post(url, { scheduled_at: wallString(info.event.start) }, info.revert).catch(() => {});
    },
    datesSet(info) {
      // The month grows to fit; the week scrolls inside a fixed height, like other calendars.
      const height = heightFor(info.view.type);
      if (calendar.getOption("height") !== height) {
        calendar.setOption("height", height);
        calendar.scrollToTime("07:00:00");
      }
      quietIcons();
      visible = { start: wallString(info.start), end: wallString(info.end) };
      rangeLinks.forEach((link) => {
        const query = new URLSearchParams(filters);
        const last = new Date(info.end.getTime() - 86400000);
        query.set("from", dateString(info.start));
        query.set("to", dateString(last));
        link.href = `${link.dataset.base}?${query}`;
      });
      refreshPanel();
    },
    loading(isLoading) {
      root.setAttribute("aria-busy", isLoading ? "true" : "false");
    },
  });
  calendar.render();
  quietIcons();
  narrow.addEventListener("change", () => {
    calendar.changeView(narrow.matches ? "listWeek" : wideView);
  });

  /* Closing the dialog (button or Esc) puts focus back on the event that opened it; the grid
     may have redrawn meanwhile, so the event is found again by its piece id. */
  dialog.addEventListener("close", () => {
    if (!openedFrom) {
      return;
    }
    const again = root.querySelector(`[data-piece-id="${CSS.escape(openedFrom.pieceId)}"]`);
    const target = again || (document.contains(openedFrom.element) ? openedFrom.element : null);
    openedFrom = null;
    if (target) {
      target.focus();
    }
  });

  /* The "skip to the first event" link: straight to the first event, else to the grid. */
  document.addEventListener("click", (event) => {
    const skip = event.target.closest("[data-skip-to-event]");
    const first = skip && root.querySelector("a.fc-event:not(.fc-bg-event), .fc-list-event a, .fc-event[tabindex]");
    if (first) {
      event.preventDefault();
      first.focus();
    }
  });

  /* Reschedule and "apply suggested slot" forms, in the dialog and the findings panel. */
  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-calendar-action]");
    if (!form) {
      return;
    }
    event.preventDefault();
    const data = new FormData(form);
    const payload = {};
    if (data.has("scheduled_at")) {
      payload.scheduled_at = data.get("scheduled_at");
    }
    const error = form.querySelector(".field-error");
    const input = form.querySelector("input[name=scheduled_at]");
    try {
      const body = await post(form.action, payload);
      if (error) {
        error.textContent = "";
      }
      if (dialog.open && body && body.piece) {
        await openPiece(body.piece.id, true);
      }
    } catch (e) {
      if (error) {
        error.textContent = e.message;
      }
      if (input) {
        input.setAttribute("aria-invalid", "true");
        input.focus();
      }
    }
  });

  document.addEventListener("click", (event) => {
    const opener = event.target.closest("[data-open-piece]");
    if (opener) {
      event.preventDefault();
      openPiece(opener.dataset.openPiece);
    }
    if (event.target.closest("[data-close-dialog]")) {
      dialog.close();
    }
  });
})();
