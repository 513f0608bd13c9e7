/* Live audit as you type, "Apply suggestion" with Undo.
 *
 * A form may also hold single fields audited with the text (a piece's title and summary):
 * inputs with `data-audit-field="title|summary"` and `data-audit-marks="#id"`, an element drawn
 * behind the transparent input that receives that field's marks.
 *
 * Wires every <textarea data-audit-source> on the page (contract: planner/web/audit_preview.py):
 * 400 ms after typing stops it posts the text, its form's `format` and `target_personas` to
 * `data-audit-url` and puts the answer into #audit-panel and #audit-highlight. A newer request
 * aborts an older one, so a slow answer never overwrites a fresher one.
 *
 * Offsets in the answer are Unicode code points into the text that was sent; JavaScript strings
 * are UTF-16, so text is cut with Array.from (one entry per code point), never with .slice.
 */
(function () {
  "use strict";

  var DELAY_MS = 400;
  var FALLBACK_MESSAGES = {
    400: "The page has expired. Reload it to keep auditing.",
    401: "You were signed out. Sign in again to see the audit.",
    413: "The text is too long to audit.",
  };

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function codePoints(text) {
    return Array.from(text);
  }

  function messageFragment(text) {
    var box = document.createElement("div");
    box.className = "audit-result";
    var alert = document.createElement("div");
    alert.className = "audit-error";
    alert.setAttribute("role", "alert");
    alert.textContent = text;
    box.appendChild(alert);
    return box;
  }

  function LiveAudit(source) {
    this.source = source;
    this.form = source.form || source.closest("form");
    this.url = source.getAttribute("data-audit-url") ||
      (this.form && this.form.getAttribute("data-audit-url")) || "/audit/preview";
    this.panel = document.querySelector(source.getAttribute("data-audit-panel") || "#audit-panel");
    this.highlight = document.querySelector(
      source.getAttribute("data-audit-highlight") || "#audit-highlight");
    this.fields = this.form
      ? Array.prototype.slice.call(this.form.querySelectorAll("[data-audit-field]")) : [];
    // Screen readers hear only a change of verdict (a polite status line), not the whole panel.
    this.announcer = document.querySelector(
      source.getAttribute("data-audit-announce") || "#audit-announce");
    var shown = this.panel && this.panel.querySelector("[data-verdict]");
    this.verdict = shown ? shown.getAttribute("data-verdict") : null;
    this.timer = null;
    this.controller = null;
    this.lastKey = null;
    this.undo = null;
    this.bind();
  }

  LiveAudit.prototype.fieldFor = function (name) {
    if (!name || name === "body") {
      return this.source;
    }
    var wanted = name === "description" ? "summary" : name;
    return this.fields.filter(function (f) {
      return f.getAttribute("data-audit-field") === wanted;
    })[0] || null;
  };

  LiveAudit.prototype.payload = function () {
    var params = new URLSearchParams();
    // The textarea's own value: a form submission would turn "\n" into "\r\n" and shift offsets.
    params.append("text", this.source.value);
    if (this.form) {
      var data = new FormData(this.form);
      params.append("format", data.get("format") || "plain");
      data.getAll("target_personas").forEach(function (id) {
        params.append("target_personas", id);
      });
      this.fields.forEach(function (field) {
        params.append(field.getAttribute("data-audit-field"), field.value);
      });
    } else {
      params.append("format", "plain");
    }
    return params;
  };

  LiveAudit.prototype.schedule = function (delay) {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.run(false); }, delay);
  };

  LiveAudit.prototype.run = function (force) {
    var self = this;
    var params = this.payload();
    var key = params.toString();
    if (!force && key === this.lastKey) {
      return Promise.resolve();
    }
    this.lastKey = key;
    if (this.controller) {
      this.controller.abort();
    }
    var controller = (this.controller = new AbortController());
    this.setBusy(true);
    return fetch(this.url, {
      method: "POST",
      body: params,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "text/html" },
      signal: controller.signal,
    }).then(function (response) {
      return response.text().then(function (html) {
        self.show(response, html);
      });
    }).catch(function (error) {
      if (error.name !== "AbortError") {
        self.lastKey = null; // let the next keystroke try again
        self.replace(self.panel, messageFragment("The audit is unreachable right now; it will retry as you type."));
      }
    }).finally(function () {
      if (self.controller === controller) {
        self.controller = null;
        self.setBusy(false);
      }
    });
  };

  LiveAudit.prototype.show = function (response, html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var panelPart = doc.querySelector('[data-audit-part="panel"]');
    var highlightPart = doc.querySelector('[data-audit-part="highlight"]');
    if (!panelPart || response.redirected) {
      var status = response.redirected ? 401 : response.status;
      this.lastKey = null;
      this.replace(this.panel, messageFragment(
        FALLBACK_MESSAGES[status] || "The audit could not run (HTTP " + status + ")."));
      return;
    }
    this.replace(this.panel, panelPart);
    this.announceVerdict(panelPart);
    if (highlightPart) {
      this.replace(this.highlight, highlightPart);
    }
    var self = this;
    this.fields.forEach(function (field) {
      var name = field.getAttribute("data-audit-field");
      var part = doc.querySelector('[data-audit-part="highlight-' +
        (name === "summary" ? "description" : name) + '"]');
      var marks = document.querySelector(field.getAttribute("data-audit-marks"));
      if (part && marks) {
        self.replace(marks, part);
        marks.scrollLeft = field.scrollLeft;
        marks.scrollTop = field.scrollTop;
      }
    });
  };

  LiveAudit.prototype.announceVerdict = function (part) {
    var result = part.querySelector("[data-verdict]") ||
      (part.hasAttribute && part.hasAttribute("data-verdict") ? part : null);
    var verdict = result ? result.getAttribute("data-verdict") : null;
    if (!verdict || verdict === this.verdict) {
      return;
    }
    this.verdict = verdict;
    if (this.announcer) {
      var words = result.querySelector(".audit-verdict");
      this.announcer.textContent = "Audit verdict: " +
        (words ? words.textContent.replace(/\s+/g, " ").trim() : verdict);
    }
  };

  LiveAudit.prototype.replace = function (target, part) {
    if (!target) {
      return;
    }
    var nodes = part.classList && part.hasAttribute("data-audit-part")
      ? Array.prototype.slice.call(part.childNodes) : [part];
    target.replaceChildren.apply(target, nodes.map(function (node) {
      return document.importNode(node, true);
    }));
  };

  LiveAudit.prototype.setBusy = function (busy) {
    if (this.panel) {
      this.panel.setAttribute("aria-busy", busy ? "true" : "false");
    }
  };

  LiveAudit.prototype.apply = function (button) {
    var start = parseInt(button.getAttribute("data-start"), 10);
    var end = parseInt(button.getAttribute("data-end"), 10);
    var replacement = button.getAttribute("data-replacement") || "";
    var expected = button.getAttribute("data-match");
    var target = this.fieldFor(button.getAttribute("data-field"));
    var chars = target ? codePoints(target.value) : [];
    if (!target || isNaN(start) || isNaN(end) || chars.slice(start, end).join("") !== expected) {
      // The text changed since this audit; audit again rather than replace the wrong words.
      this.run(true);
      return;
    }
    var previous = target.value;
    var before = chars.slice(0, start).join("") + replacement;
    target.value = before + chars.slice(end).join("");
    this.undo = { field: target, before: previous, after: target.value, words: expected };
    this.showUndo(expected, replacement);
    target.focus();
    target.setSelectionRange(before.length, before.length);
    // Let the page know (unsaved-changes tracking); our own listener schedules the audit.
    target.dispatchEvent(new Event("input", { bubbles: true }));
    this.run(true);
  };

  LiveAudit.prototype.showUndo = function (words, replacement) {
    var self = this;
    if (!this.undoBar && this.panel) {
      this.undoBar = document.createElement("div");
      this.undoBar.className = "apply-undo";
      this.undoBar.setAttribute("role", "status");
      this.panel.parentNode.insertBefore(this.undoBar, this.panel);
    }
    if (!this.undoBar) {
      return;
    }
    var text = document.createElement("span");
    text.textContent = "Replaced “" + words + "” with “" + replacement + "”.";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "small secondary outline";
    button.setAttribute("data-undo-suggestion", "");
    button.textContent = "Undo";
    button.addEventListener("click", function () { self.undoApply(); });
    this.undoBar.replaceChildren(text, button);
    this.undoBar.hidden = false;
  };

  LiveAudit.prototype.clearUndo = function () {
    this.undo = null;
    if (this.undoBar) {
      this.undoBar.hidden = true;
      this.undoBar.replaceChildren();
    }
  };

  /* Put the words back, as long as nothing was typed since (the applied text is intact). */
  LiveAudit.prototype.undoApply = function () {
    var undo = this.undo;
    if (!undo || undo.field.value !== undo.after) {
      this.clearUndo();
      return false;
    }
    undo.field.value = undo.before;
    this.clearUndo();
    undo.field.focus();
    undo.field.dispatchEvent(new Event("input", { bubbles: true }));
    this.run(true);
    return true;
  };

  LiveAudit.prototype.bind = function () {
    var self = this;
    [this.source].concat(this.fields).forEach(function (field) {
      field.addEventListener("input", function () {
        if (self.undo && self.undo.field === field && field.value !== self.undo.after) {
          self.clearUndo(); // typing since the suggestion: Ctrl+Z is the browser's again
        }
        var marks = field.getAttribute("data-audit-marks");
        var backdrop = marks && document.querySelector(marks);
        if (backdrop) {
          backdrop.textContent = field.value; // marks come back with the next audit
        }
        self.schedule(DELAY_MS);
      });
      field.addEventListener("keydown", function (event) {
        var isUndo = (event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey &&
          (event.key === "z" || event.key === "Z");
        if (isUndo && self.undo && self.undo.field === field && self.undoApply()) {
          event.preventDefault();
        }
      });
      field.addEventListener("scroll", function () {
        var marks = field.getAttribute("data-audit-marks");
        var backdrop = marks && document.querySelector(marks);
        if (backdrop) {
          backdrop.scrollLeft = field.scrollLeft;
          backdrop.scrollTop = field.scrollTop;
        }
      });
    });
    this.source.addEventListener("audit:refresh", function () { self.run(true); });
    if (this.form) {
      this.form.addEventListener("change", function (event) {
        var name = event.target && event.target.name;
        if (name === "format" || name === "target_personas") {
          self.schedule(0);
        }
      });
    }
    if (this.panel) {
      this.panel.addEventListener("click", function (event) {
        var button = event.target.closest("[data-apply-suggestion]");
        if (button) {
          event.preventDefault();
          self.apply(button);
        }
      });
    }
    var hasResult = this.panel && this.panel.querySelector("[data-verdict]");
    if (this.source.value.trim() && !hasResult) {
      this.run(true);
    } else {
      this.lastKey = this.payload().toString();
    }
  };

  function init() {
    document.documentElement.classList.add("audit-js");
    document.querySelectorAll("textarea[data-audit-source]").forEach(function (source) {
      if (!source.liveAudit) {
        source.liveAudit = new LiveAudit(source);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
