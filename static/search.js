/* Annals search: runs from disk (file://) and from any host. The index is a set of script files
   (search/*.js) that call annalsSearch.*; a query loads only the shards of its words and the text
   chunks of its best results. Folding matches annals/search.py: lower case, no accents. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL("../search/", script.src).href;
  var siteRoot = new URL("../", script.src).href;
  var S = window.annalsSearch = { shards: {}, chunks: {}, info: null, stems: {} };
  var loading = {};

  S.meta = function (data) { S.info = data; };
  S.shard = function (key, block, data, stems) {
    (S.shards[key] = S.shards[key] || {})[block] = data;
    var known = S.stems[key] = S.stems[key] || {};
    Object.keys(stems || {}).forEach(function (term) { known[term] = stems[term]; });
  };
  S.chunk = function (n, data) { S.chunks[n] = data; };

  function load(file) {
    if (!loading[file]) {
      loading[file] = new Promise(function (resolve, reject) {
        var element = document.createElement("script");
        element.src = base + file;
        element.onload = resolve;
        element.onerror = function () { reject(new Error("could not load " + file)); };
        document.head.appendChild(element);
      });
    }
    return loading[file];
  }

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
  }

  function terms(text) {
    var stop = S.info ? S.info.stopwords : [];
    return (fold(text).match(/[\p{L}\p{N}_]+/gu) || []).filter(function (t) {
      return t.length > 1 && stop.indexOf(t) < 0;
    });
  }

  function hex(text) {
    return Array.from(new TextEncoder().encode(text)).map(function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  /* For the word and, when it is the last one typed, every term it begins: the term's postings in each
     block of the index, as [block, list] pairs. */
  function shardKey(term) {  /* as annals/search.py's shard_key: "§monde", "#2024" alone, "@kim-jong-un" in "@kim" */
    if (term[0] === "@") return term.slice(0, 1 + S.info.prefix);
    return /^[§#]/.test(term) ? term : term.slice(0, S.info.prefix);
  }

  /* The terms of the index a whole word stands for: those of its stem (Snowball's, as the build gave it:
     "cooperations" → "cooperation", "cooperer"…). A word the index does not hold is looked for without
     a plural ending ("-s", "-x", "-es"), then its stem's terms. */
  function sameStem(term, key) {
    var stems = S.stems[key] || {}, blocks = S.shards[key] || {};
    var held = function (t) { return Object.keys(blocks).some(function (b) { return blocks[b][t]; }); };
    var word = [term, term.replace(/(?:es|s|x)$/, ""), term.replace(/s$/, "")].filter(held)[0];
    if (!word) return [];
    var stem = stems[word] || word, terms = {};
    Object.keys(blocks).forEach(function (b) {
      Object.keys(blocks[b]).forEach(function (t) { if ((stems[t] || t) === stem) terms[t] = true; });
    });
    return Object.keys(terms);
  }

  function postingsFor(term, isLast) {
    var key = shardKey(term);
    var blocks = S.shards[key] || {}, found = {};
    var whole = /^[§#@]/.test(term) ? [term] : sameStem(term, key);
    Object.keys(blocks).forEach(function (block) {
      var shard = blocks[block];
      var names = (!isLast || term.length < S.info.prefix || /^[§#@]/.test(term)) ?
        whole.filter(function (t) { return shard[t]; }) :
        Object.keys(shard).filter(function (t) { return t.indexOf(term) === 0 || whole.indexOf(t) >= 0; });
      names.forEach(function (t) { (found[t] = found[t] || []).push([Number(block), shard[t]]); });
    });
    return Object.keys(found).map(function (t) { return found[t]; });
  }

  /* Paragraphs holding every word (the last may be a prefix, as one types), best first.
     A paragraph is the number doc * 65536 + paragraph, so no strings are built per posting. */
  function rank(words) {
    var total = S.info.paragraphs, scores = null;
    words.forEach(function (term, i) {
      var found = new Map();
      postingsFor(term, i === words.length - 1).forEach(function (parts) {
        var length = parts.reduce(function (sum, part) { return sum + part[1].length; }, 0);
        var idf = Math.log(1 + total / Math.max(1, length / 3));
        parts.forEach(function (part) {
          var list = part[1], doc = part[0] * S.info.stride;
          for (var k = 0; k < list.length; k += 3) {
            doc += list[k];  /* documents are stored as steps from the previous one */
            var id = doc * 65536 + list[k + 1];
            found.set(id, (found.get(id) || 0) + list[k + 2] * idf);
          }
        });
      });
      if (scores === null) { scores = found; return; }
      var kept = new Map();
      found.forEach(function (score, id) { if (scores.has(id)) kept.set(id, scores.get(id) + score); });
      scores = kept;
    });
    var ranked = [];
    (scores || new Map()).forEach(function (score, id) { ranked.push([score, id]); });
    ranked.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return ranked.map(function (r) { return { doc: Math.floor(r[1] / 65536), para: r[1] % 65536, score: r[0] }; });
  }

  /* An event's anchor ("2024-06-19", "2024-06-19-2", "2024-06", "2024") as the page's language writes
     its date; "" for a paragraph that is no event ("p-12") or for the document itself. */
  function dateLabel(anchor) {
    var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:-\d+)?$/.exec(anchor || "");
    if (!m) return "";
    var language = document.documentElement.lang;
    var when = new Date(Date.UTC(Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1));
    var parts = m[3] ? { day: "numeric", month: "long", year: "numeric" } : m[2] ? { month: "long", year: "numeric" }
      : { year: "numeric" };
    parts.timeZone = "UTC";
    return new Intl.DateTimeFormat(language, parts).format(when);
  }

  /* The facets' terms a query keeps to: its section, one of the years of its range (those the index has),
     the entity named. */
  function facetTerms(facets) {
    var wanted = [];
    if (facets.section) wanted.push(["§" + facets.section]);
    if (facets.from || facets.to) {
      var years = Object.keys(S.info.shards).filter(function (key) {
        var year = /^#(\d{4})$/.exec(key);
        return year && (!facets.from || Number(year[1]) >= facets.from) && (!facets.to || Number(year[1]) <= facets.to);
      });
      wanted.push(years.length ? years : ["#none"]);
    }
    if (facets.entity) wanted.push(["@" + facets.entity]);
    return wanted;
  }

  /* The paragraphs (doc * 65536 + paragraph) one facet allows: a section allows every paragraph of its
     documents (it is indexed at paragraph 0), a range of years those whose event is in one of them. */
  function allowed(alternatives) {
    var ids = new Set(), documents = new Set();
    alternatives.forEach(function (term) {
      postingsFor(term, false).forEach(function (parts) {
        parts.forEach(function (part) {
          var list = part[1], doc = part[0] * S.info.stride;
          for (var k = 0; k < list.length; k += 3) {
            doc += list[k];
            if (term[0] === "§") documents.add(doc); else ids.add(doc * 65536 + list[k + 1]);
          }
        });
      });
    });
    return function (r) { return documents.has(r.doc) || ids.has(r.doc * 65536 + r.para); };
  }

  /* The results `from` to `from + limit` of the paragraphs holding every word, best first (titles,
     breadcrumbs and headings weigh most), within the facets asked for, with how many there are in all. */
  S.sameStem = function (term) { return sameStem(term, shardKey(term)); };

  S.query = function (text, limit, from, facets) {
    facets = facets || {};
    return load("meta.js").then(function () {
      var words = terms(text), kept = facetTerms(facets);
      if (!words.length) return { total: 0, results: [] };
      var files = {};
      words.concat([].concat.apply([], kept)).forEach(function (t) {
        var key = shardKey(t);
        (S.info.shards[key] || []).forEach(function (block) { files["t-" + hex(key) + "-" + block + ".js"] = true; });
      });
      return Promise.all(Object.keys(files).map(load))
        .then(function () {
          var ranked = rank(words);
          var forms = words.concat.apply(words, words.map(function (t) { return sameStem(t, shardKey(t)); }));
          kept.forEach(function (alternatives) { ranked = ranked.filter(allowed(alternatives)); });
          var top = ranked.slice(from || 0, (from || 0) + (limit || 20));
          var chunks = {};
          top.forEach(function (r) { chunks[Math.floor(r.doc / S.info.chunk)] = true; });
          return Promise.all(Object.keys(chunks).map(function (n) { return load("x-" + n + ".js"); }))
            .then(function () {
              return { total: ranked.length, words: forms, results: top.map(function (r) {
                var doc = S.chunks[Math.floor(r.doc / S.info.chunk)][r.doc];
                var para = doc.p[r.para];
                return { title: doc.t, url: siteRoot + doc.u + (para[0] ? "#" + para[0] : ""), anchor: para[0],
                         text: para[1], place: doc.s || "", date: dateLabel(para[0]) };
              }) };
            });
        });
    });
  };

  /* The text cut into plain and highlighted pieces where a folded word starts with a query word. */
  S.highlight = function (text, words) {
    var folded = "", map = [];
    for (var i = 0; i < text.length; i++) {
      var f = fold(text[i]);
      for (var j = 0; j < f.length; j++) { folded += f[j]; map.push(i); }
    }
    map.push(text.length);
    var pieces = [], last = 0, re = /[\p{L}\p{N}_]+/gu, m;
    while ((m = re.exec(folded))) {
      var hit = words.some(function (w) { return m[0].indexOf(w) === 0; });
      if (!hit) continue;
      var start = map[m.index], end = map[m.index + m[0].length];
      if (start > last) pieces.push({ text: text.slice(last, start) });
      pieces.push({ text: text.slice(start, end), mark: true });
      last = end;
    }
    if (last < text.length) pieces.push({ text: text.slice(last) });
    return pieces;
  };

  function snippet(pieces, room) {
    var first = pieces.findIndex(function (p) { return p.mark; });
    var before = pieces.slice(0, Math.max(first, 0)).map(function (p) { return p.text; }).join("");
    var cut = Math.max(0, before.length - room / 3);
    if (cut > 0) {  /* start at a word, not inside one */
      var space = before.indexOf(" ", cut);
      cut = space >= 0 && space < before.length ? space + 1 : cut;
    }
    var out = [], used = 0, skipped = 0, dropped = false;
    pieces.forEach(function (p) {
      var text = p.text;
      if (skipped < cut) {
        var drop = Math.min(text.length, cut - skipped);
        skipped += drop; text = text.slice(drop);
      }
      if (!text) return;
      if (used >= room) { dropped = true; return; }
      if (text.length > room - used) {  /* end at a word, not inside one */
        var end = text.lastIndexOf(" ", room - used);
        text = end > 0 ? text.slice(0, end) : "";
        used = room;
        dropped = true;
      } else {
        used += text.length;
      }
      if (text) out.push({ text: text, mark: p.mark });
    });
    if (dropped) {  /* no space or stray comma before the ellipsis */
      while (out.length && !out[out.length - 1].mark && !/\S/.test(out[out.length - 1].text)) out.pop();
      if (out.length && !out[out.length - 1].mark) out[out.length - 1].text = out[out.length - 1].text.replace(/[\s,;:]+$/, "");
    }
    return { pieces: out, before: cut > 0, after: dropped };
  }

  // A count as the page's language words it: the text for the plural form of n (CLDR's rules, as the
  // build uses them), with n written as the language writes numbers.
  function counted(forms, n) {
    var language = document.documentElement.lang;
    return (forms[new Intl.PluralRules(language).select(n)] || forms.other).replace("{n}", n.toLocaleString(language));
  }

  function show(form, outcome, from) {
    var list = form.results, status = form.status;
    if (!from) list.textContent = "";
    status.textContent = outcome.total
      ? counted(JSON.parse(status.dataset.found), outcome.total)
      : (outcome.words && outcome.words.length ? status.dataset.none : "");
    outcome.results.forEach(function (r) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = r.url;
      link.textContent = r.title;
      var where = document.createElement("span");
      where.className = "meta result-place";
      where.textContent = r.anchor ? [r.place, r.date].filter(Boolean).join(" · ") : "";
      var text = document.createElement("p");
      text.className = "excerpt";
      var cut = snippet(S.highlight(r.text, outcome.words), 240);
      if (cut.before) text.appendChild(document.createTextNode("… "));
      cut.pieces.forEach(function (p) {
        var node = p.mark ? document.createElement("mark") : document.createTextNode(p.text);
        if (p.mark) node.textContent = p.text;
        text.appendChild(node);
      });
      if (cut.after) text.appendChild(document.createTextNode(" …"));
      item.appendChild(link);
      item.appendChild(where);
      item.appendChild(text);
      list.appendChild(item);
    });
    var shown = (from || 0) + outcome.results.length;
    form.more.hidden = shown >= outcome.total;
    form.more.textContent = form.more.dataset.label.replace("{n}", Math.min(PAGE, outcome.total - shown));
    return shown;
  }

  var PAGE = 20;  /* results shown at a time */

  function wire() {
    var input = document.getElementById("search-query");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var more = document.getElementById("search-more");
    if (!input || !list) return;
    var form = { results: list, status: status, more: more }, timer = null, asked = 0, shown = 0;
    var controls = { section: "facet-section", from: "facet-from", to: "facet-to", entity: "facet-entity" };
    function facets() {
      var chosen = {};
      Object.keys(controls).forEach(function (name) {
        var control = document.getElementById(controls[name]);
        if (control && control.value) chosen[name] = /^(from|to)$/.test(name) ? Number(control.value) : control.value;
      });
      return chosen;
    }
    function run(from) {
      var question = input.value, ticket = from ? asked : ++asked;
      S.query(question, PAGE, from, facets()).then(function (outcome) {
        if (ticket === asked) shown = show(form, outcome, from);
      }, function (error) { status.textContent = String(error.message || error); });
    }
    function remember() {  /* the address says what was asked: a search can be cited, and reloaded */
      var address = new URL(window.location.href), chosen = facets();
      if (input.value) address.searchParams.set("q", input.value); else address.searchParams.delete("q");
      ["section", "entity", "from", "to", "year"].forEach(function (name) { address.searchParams.delete(name); });
      if (chosen.section) address.searchParams.set("section", chosen.section);
      if (chosen.from || chosen.to) {  /* year=2024-2025, year=2024, year=2024- or year=-2025 */
        address.searchParams.set("year", chosen.from === chosen.to ? String(chosen.from)
          : (chosen.from || "") + "-" + (chosen.to || ""));
      }
      if (chosen.entity) address.searchParams.set("entity", chosen.entity);
      try { window.history.replaceState(null, "", address.href); } catch (e) { /* some file:// pages refuse */ }
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { remember(); run(0); }, 20);
    });
    more.addEventListener("click", function () { run(shown); });
    var params = new URLSearchParams(window.location.search);
    var range = /^(\d{4})?(?:(-)(\d{4})?)?$/.exec(params.get("year") || "");
    if (range && range[0]) {
      params.set("from", range[1] || "");
      params.set("to", range[2] ? (range[3] || "") : (range[1] || ""));
    }
    Object.keys(controls).forEach(function (name) {
      var control = document.getElementById(controls[name]);
      if (!control) return;
      if (params.get(name)) control.value = params.get(name);
      control.addEventListener("change", function () { remember(); run(0); });
    });
    var given = params.get("q");
    if (given) { input.value = given; run(0); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
