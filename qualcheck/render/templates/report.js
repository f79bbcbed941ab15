{% raw %}
/* qualcheck review page. Reads the report from #qc-data and builds views on demand; every string
   that comes from a document reaches the page through textContent or an attribute, never innerHTML. */
(function () {
  'use strict';
  var t0 = performance.now();
  var DATA = JSON.parse(document.getElementById('qc-data').textContent);
  var CATS = DATA.categories;
  var SEV = {1: 'info', 2: 'warning', 3: 'error'};
  var STORE_KEY = 'qualcheck.decisions.v1';
  var docs = DATA.documents;
  var byId = {};
  var byFingerprint = {};
  docs.forEach(function (d, i) {
    d.i = i;
    byId[d.id] = d;
    d.f.forEach(function (f, j) { if (f.p) { byFingerprint[f.p] = [i, j]; } });
  });

  // ---- small DOM helpers ---------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) { return; }
        if (k === 'text') { node.textContent = v; }
        else if (k === 'class') { node.className = v; }
        else if (k.slice(0, 2) === 'on') { node.addEventListener(k.slice(2), v); }
        else { node.setAttribute(k, v); }
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) { return; }
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }
  function $(id) { return document.getElementById(id); }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function tone(v) { return v >= 80 ? 'good' : v >= 60 ? 'fair' : 'poor'; }
  function bar(v, wide, unit) {
    if (v === null || v === undefined) { return el('span', {class: 'na', text: '–'}); }
    var b = el('span', {class: 'bar' + (wide ? ' wide' : '')}, [el('span', {class: 'tone-' + tone(v), style: 'width:' + Math.max(2, Math.round(v)) + '%'})]);
    return el('span', null, [b, el('span', {class: 'score', text: String(Math.round(v)) + (unit || '')})]);
  }
  function shorten(s, n) { s = String(s || '').replace(/\s+/g, ' ').trim(); return s.length > n ? s.slice(0, n - 1) + '…' : s; }
  function rule(code) { return DATA.rules[code] || {name: '', why: '', summary: ''}; }

  // ---- review decisions (this browser) -------------------------------------------------
  function loadDecisions() {
    try { var v = JSON.parse(localStorage.getItem(STORE_KEY) || '{}'); return v && typeof v === 'object' ? v : {}; }
    catch (e) { return {}; }
  }
  var decisions = loadDecisions();
  var storageOk = true;
  function saveDecisions() {
    try { localStorage.setItem(STORE_KEY, JSON.stringify(decisions)); storageOk = true; }
    catch (e) { storageOk = false; }
    updateReviewCount();
  }
  function stateOf(f) {
    var d = f.p && decisions[f.p];
    if (d) { return {status: d.status, note: d.note || '', from: 'this browser'}; }
    if (f.sup) { return {status: f.sup.status, note: f.sup.note || '', from: f.sup.kind === 'decision' ? 'decisions file' : f.sup.kind}; }
    return null;
  }
  function isDismissed(f) { var s = stateOf(f); return !!(s && s.status === 'dismissed'); }
  function decide(d, f, status, note) {
    if (!f.p) { return; }
    if (!status) { delete decisions[f.p]; }
    else {
      decisions[f.p] = {status: status, note: note || '', code: f.c, document: d.id,
        excerpt: d.text.slice(f.a, f.b).slice(0, 300), decided_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z')};
    }
    saveDecisions();
    overviewDirty = true;
  }
  function allDecisions() {
    var out = {};
    docs.forEach(function (d) {
      d.f.forEach(function (f) {
        if (f.sup && f.sup.kind === 'decision' && f.p) {
          out[f.p] = {fingerprint: f.p, status: f.sup.status, note: f.sup.note || '', code: f.c, document: d.id, excerpt: d.text.slice(f.a, f.b).slice(0, 300)};
        }
      });
    });
    Object.keys(decisions).forEach(function (fp) {
      var v = decisions[fp];
      out[fp] = {fingerprint: fp, status: v.status, note: v.note || '', code: v.code || '', document: v.document || '', excerpt: v.excerpt || '', decided_at: v.decided_at || ''};
    });
    return out;
  }
  function exportDecisions() {
    var all = allDecisions();
    return Object.keys(all).sort().map(function (fp) {
      var v = all[fp], o = {};
      Object.keys(v).sort().forEach(function (k) { if (v[k] !== '' || k === 'fingerprint' || k === 'status') { o[k] = v[k]; } });
      return JSON.stringify(o) + '\n';
    }).join('');
  }
  function importDecisions(text) {
    var n = 0;
    text.split(/\r?\n/).forEach(function (line, i) {
      if (!line.trim()) { return; }
      var v;
      try { v = JSON.parse(line); } catch (e) { throw new Error('line ' + (i + 1) + ': not valid JSON'); }
      if (!v || typeof v.fingerprint !== 'string' || (v.status !== 'accepted' && v.status !== 'dismissed')) {
        throw new Error('line ' + (i + 1) + ': needs a fingerprint and a status of accepted or dismissed');
      }
      decisions[v.fingerprint] = {status: v.status, note: v.note || '', code: v.code || '', document: v.document || '', excerpt: v.excerpt || '', decided_at: v.decided_at || ''};
      n += 1;
    });
    saveDecisions();
    overviewDirty = true;
    return n;
  }
  function updateReviewCount() { $('review-count').textContent = String(Object.keys(decisions).length); }

  // ---- filters ----------------------------------------------------------------------------
  var filters = {cats: {}, sevs: {1: true, 2: true, 3: true}, code: '', dismissed: true};
  CATS.forEach(function (c) { filters.cats[c] = true; });
  function visible(f) {
    return filters.cats[f.k] !== false && filters.sevs[f.s] && (!filters.code || f.c === filters.code) && (filters.dismissed || !isDismissed(f));
  }
  function buildFilters() {
    var catCount = {}, sevCount = {1: 0, 2: 0, 3: 0}, codeCount = {};
    docs.forEach(function (d) {
      d.f.forEach(function (f) {
        catCount[f.k] = (catCount[f.k] || 0) + 1;
        sevCount[f.s] += 1;
        codeCount[f.c] = (codeCount[f.c] || 0) + 1;
      });
    });
    function chip(group, key, label, count, extraClass) {
      var input = el('input', {type: 'checkbox', checked: 'checked', value: key});
      var node = el('label', {class: 'chip', 'data-filter': group, 'data-value': key}, [input, extraClass ? el('i', {class: 'dot ' + extraClass}) : null, label, el('span', {class: 'n', text: String(count || 0)})]);
      input.addEventListener('change', function () {
        filters[group][key] = input.checked;
        node.classList.toggle('off', !input.checked);
        filtersChanged();
      });
      return node;
    }
    CATS.forEach(function (c) { $('filter-category').appendChild(chip('cats', c, c, catCount[c], 'cat-' + c)); });
    [3, 2, 1].forEach(function (s) { $('filter-severity').appendChild(chip('sevs', String(s), SEV[s], sevCount[s])); });
    Object.keys(codeCount).sort().forEach(function (c) {
      $('filter-code').appendChild(el('option', {value: c, text: c + ' ' + (rule(c).name || '') + ' (' + codeCount[c] + ')'}));
    });
    $('filter-code').addEventListener('change', function (ev) { filters.code = ev.target.value; filtersChanged(); });
    $('filter-dismissed').addEventListener('change', function (ev) { filters.dismissed = ev.target.checked; filtersChanged(); });
    $('filter-reset').addEventListener('click', function () {
      document.querySelectorAll('.chip input').forEach(function (i) { i.checked = true; i.parentNode.classList.remove('off'); });
      CATS.forEach(function (c) { filters.cats[c] = true; });
      filters.sevs = {1: true, 2: true, 3: true};
      filters.code = ''; $('filter-code').value = '';
      filters.dismissed = true; $('filter-dismissed').checked = true;
      filtersChanged();
    });
  }
  function filtersChanged() {
    overviewDirty = true;
    if (current.view === 'overview') { refreshOverview(); }
    if (current.view === 'doc' && current.doc) { renderDoc(current.doc, current.finding, null); }
  }

  // ---- overview -----------------------------------------------------------------------------
  var rows = [];
  var overviewDirty = true;
  var binFilter = null;
  function buildOverview() {
    var body = $('overview').tBodies[0];
    var frag = document.createDocumentFragment();
    docs.forEach(function (d) {
      var cells = [
        el('td', null, [el('a', {href: '#/doc/' + d.i, text: d.id}), d.title ? el('div', {class: 'title', text: d.title, title: d.title}) : null]),
        el('td', {text: d.source || '–'}),
        el('td', {class: 'num'}, [bar(d.score, true)])
      ];
      d.scores.forEach(function (v) { cells.push(el('td', {class: 'num'}, [bar(v)])); });
      var nCell = el('td', {class: 'num'}), rCell = el('td', {class: 'num'});
      cells.push(nCell, rCell);
      var tr = el('tr', {'data-doc': String(d.i)}, cells);
      var search = (d.id + ' ' + (d.title || '') + ' ' + (d.source || '')).toLowerCase();
      rows.push({tr: tr, d: d, n: nCell, r: rCell, search: search, key: {n: 0, reviewed: 0}});
      frag.appendChild(tr);
    });
    body.appendChild(frag);
    body.addEventListener('click', function (ev) {
      if (ev.target.closest('a')) { return; }
      var tr = ev.target.closest('tr');
      if (tr) { location.hash = '#/doc/' + tr.getAttribute('data-doc'); }
    });
    $('overview').querySelectorAll('th').forEach(function (th) {
      th.addEventListener('click', function () { sortBy(th); });
    });
    $('doc-search').addEventListener('input', refreshOverview);
    document.querySelectorAll('.histogram .bin').forEach(function (g) {
      g.addEventListener('click', function () {
        var lo = +g.getAttribute('data-min'), hi = +g.getAttribute('data-max');
        binFilter = binFilter && binFilter[0] === lo ? null : [lo, hi];
        document.querySelectorAll('.histogram .bin').forEach(function (o) { o.classList.toggle('selected', !!binFilter && o === g); });
        $('bin-clear').hidden = !binFilter;
        refreshOverview();
      });
    });
    $('bin-clear').addEventListener('click', function () {
      binFilter = null; $('bin-clear').hidden = true;
      document.querySelectorAll('.histogram .bin').forEach(function (o) { o.classList.remove('selected'); });
      refreshOverview();
    });
  }
  function refreshOverview() {
    var q = $('doc-search').value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      if (overviewDirty) {
        var n = 0, reviewed = 0;
        row.d.f.forEach(function (f) {
          if (visible(f) && !isDismissed(f)) { n += 1; }
          if (stateOf(f)) { reviewed += 1; }
        });
        row.key.n = n; row.key.reviewed = reviewed;
        row.n.textContent = String(n);
        row.r.textContent = row.d.f.length ? reviewed + '/' + row.d.f.length : '–';
      }
      var s = row.d.score;
      var hide = (q && row.search.indexOf(q) < 0) || (binFilter && !(s >= binFilter[0] && (s < binFilter[1] || (binFilter[1] === 100 && s <= 100))));
      row.tr.hidden = !!hide;
      if (!hide) { shown += 1; }
    });
    overviewDirty = false;
    $('doc-count').textContent = shown === docs.length ? docs.length + ' documents' : shown + ' of ' + docs.length + ' documents';
  }
  function sortKey(row, key) {
    if (key === 'id') { return row.d.id; }
    if (key === 'source') { return row.d.source || ''; }
    if (key === 'score') { return row.d.score; }
    if (key === 'n' || key === 'reviewed') { return row.key[key]; }
    var v = row.d.scores[+key.slice(3)];
    return v === null ? -1 : v;
  }
  function sortBy(th) {
    var key = th.getAttribute('data-key'), num = th.hasAttribute('data-num');
    var dir = th.getAttribute('data-dir') === 'asc' ? 'desc' : 'asc';
    $('overview').querySelectorAll('th').forEach(function (o) { o.removeAttribute('data-dir'); });
    th.setAttribute('data-dir', dir);
    var sign = dir === 'asc' ? 1 : -1;
    rows.sort(function (a, b) {
      var x = sortKey(a, key), y = sortKey(b, key);
      var c = num ? x - y : String(x).localeCompare(String(y));
      return (c || a.d.i - b.d.i) * sign;
    });
    var body = $('overview').tBodies[0], frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r.tr); });
    body.appendChild(frag);
  }

  // ---- document view ------------------------------------------------------------------------
  var current = {view: 'overview', doc: null, finding: null};
  function docOrder() {
    var order = rows.filter(function (r) { return !r.tr.hidden; }).map(function (r) { return r.d.i; });
    return order.length ? order : docs.map(function (d) { return d.i; });
  }
  // a sentence score (MT900, GR900) tints its sentence; it is never underlined over the word-level findings inside it
  var SENTENCE_KINDS = {'translation-score': true, 'grammar-score': true};
  function sentenceLevel(f) { return !!SENTENCE_KINDS[rule(f.c).kind]; }
  function buildText(d, focus) {
    var text = d.text, fs = d.f, spans = [];
    fs.forEach(function (f, i) { if (f.b > f.a && visible(f)) { spans.push(i); } });
    var cutSet = {0: true}; cutSet[text.length] = true;
    spans.forEach(function (i) { cutSet[fs[i].a] = true; cutSet[fs[i].b] = true; });
    if (focus) { cutSet[focus[0]] = true; cutSet[focus[1]] = true; }
    var cuts = Object.keys(cutSet).map(Number).filter(function (x) { return x >= 0 && x <= text.length; }).sort(function (a, b) { return a - b; });
    var frag = document.createDocumentFragment();
    for (var k = 0; k + 1 < cuts.length; k++) {
      var a = cuts[k], b = cuts[k + 1];
      var over = spans.filter(function (i) { return fs[i].a <= a && b <= fs[i].b; });
      var words = over.filter(function (i) { return !sentenceLevel(fs[i]); });
      var sentences = over.filter(function (i) { return sentenceLevel(fs[i]); });
      var covering = words.concat(sentences);  // a click picks the word-level finding first
      var inFocus = focus && focus[0] <= a && b <= focus[1] && focus[1] > focus[0];
      var chunk = text.slice(a, b);
      if (!covering.length && !inFocus) { frag.appendChild(document.createTextNode(chunk)); continue; }
      var cls = [];
      if (covering.length) {
        var first = fs[covering[0]];
        cls.push('cat-' + first.k);
        if (!words.length) { cls.push('sentence'); }
        else if (sentences.length) { cls.push('in-sentence'); }
        if (words.length > 1) { cls.push('multi'); }
        if (covering.every(function (i) { return isDismissed(fs[i]); })) { cls.push('dismissed'); }
        else if (covering.some(function (i) { var s = stateOf(fs[i]); return s && s.status === 'accepted'; })) { cls.push('accepted'); }
      }
      if (inFocus) { cls.push('ref'); }
      var title = covering.map(function (i) { return fs[i].c + ': ' + fs[i].m; }).join('\n');
      frag.appendChild(el('mark', {class: cls.join(' '), 'data-f': covering.join(' '), title: title || null, text: chunk}));
    }
    return frag;
  }
  function renderDoc(d, select, focus) {
    current.doc = d;
    var order = docOrder(), pos = order.indexOf(d.i);
    $('doc-pos').textContent = (pos >= 0 ? (pos + 1) + ' of ' + order.length : '') ;
    $('doc-title').textContent = d.title || d.id;
    var meta = $('doc-meta'); clear(meta);
    [d.id, d.source ? 'source ' + d.source : null, d.date, d.stats.words !== undefined ? d.stats.words + ' words' : null,
     d.stats.sentences !== undefined ? d.stats.sentences + ' sentences' : null].forEach(function (s) { if (s) { meta.appendChild(el('span', {text: String(s)})); } });
    var sc = $('doc-scores'); clear(sc);
    sc.appendChild(el('span', {class: 'sb'}, [el('b', {text: 'overall'}), bar(d.score, true)]));
    CATS.forEach(function (c, i) { sc.appendChild(el('span', {class: 'sb'}, [el('i', {class: 'dot cat-' + c}), c, bar(d.scores[i])])); });
    var nl = $('doc-notices'); clear(nl);
    d.notices.forEach(function (n) { nl.appendChild(el('li', {text: n})); });
    var textNode = $('doc-text'); clear(textNode);
    textNode.appendChild(buildText(d, focus));
    var list = $('finding-list'); clear(list);
    var shown = 0;
    d.f.forEach(function (f, i) {
      if (!visible(f)) { return; }
      shown += 1;
      var st = stateOf(f);
      list.appendChild(el('li', {'data-i': String(i), class: (st && st.status === 'dismissed') ? 'dismissed' : null}, [
        el('span', null, [el('span', {class: 'sev sev-' + f.s, text: SEV[f.s]})]),
        el('span', null, [el('span', {class: 'code', text: f.c}), ' ', el('span', {class: 'cat cat-' + f.k, text: f.k}), ' ',
          el('span', {class: 'where', text: f.a === f.b ? 'whole document' : 'line ' + f.l + ':' + f.o}),
          st ? el('span', {class: 'state state-' + st.status, text: st.status}) : null]),
        el('span', {class: 'msg', text: f.m})
      ]));
    });
    $('finding-count').textContent = shown === d.f.length ? String(d.f.length) : shown + ' of ' + d.f.length + ' shown';
    if (!d.f.length) { list.appendChild(el('li', {class: 'empty', text: 'No findings in this document.'})); }
    else if (!shown) { list.appendChild(el('li', {class: 'empty', text: 'No finding matches the filters.'})); }
    if (select !== null && select !== undefined && d.f[select] && visible(d.f[select])) { selectFinding(select, !focus); }
    else { current.finding = null; renderDetail(null); }
    if (focus) {
      var ref = textNode.querySelector('mark.ref');
      if (ref) { ref.scrollIntoView({block: 'center'}); }
    } else if (select === null || select === undefined) { window.scrollTo(0, 0); }
  }
  function selectFinding(i, scroll) {
    var d = current.doc, f = d.f[i];
    current.finding = i;
    document.querySelectorAll('#doc-text mark.active, #finding-list li.active').forEach(function (n) { n.classList.remove('active'); });
    var marks = [];
    document.querySelectorAll('#doc-text mark[data-f]').forEach(function (m) {
      if ((' ' + m.getAttribute('data-f') + ' ').indexOf(' ' + i + ' ') >= 0) { m.classList.add('active'); marks.push(m); }
    });
    var li = document.querySelector('#finding-list li[data-i="' + i + '"]');
    if (li) { li.classList.add('active'); if (scroll !== false) { li.scrollIntoView({block: 'nearest'}); } }
    if (marks.length && scroll !== false) { marks[0].scrollIntoView({block: 'center'}); }
    renderDetail(f);
    history.replaceState(null, '', '#/doc/' + d.i + '/' + i);
    markRendered();  // this address is rendered already: no hashchange follows replaceState
  }
  function passageLink(docId, a, b, label) {
    var target = byId[docId];
    if (!target) { return el('span', {class: 'muted', text: label + ' (not in this report)'}); }
    return el('a', {href: '#/doc/' + target.i + '/@' + a + '-' + b, text: label});
  }
  function renderDetail(f) {
    var box = $('detail'); clear(box);
    if (!f) {
      box.appendChild(el('p', {class: 'muted'}, ['Click a highlighted passage or a finding below. Keys: ', el('kbd', {text: 'j'}), ' / ', el('kbd', {text: 'k'}),
        ' next / previous finding, ', el('kbd', {text: 'a'}), ' accept, ', el('kbd', {text: 'd'}), ' dismiss, ', el('kbd', {text: 'Esc'}), ' overview.']));
      return;
    }
    var d = current.doc, r = rule(f.c), st = stateOf(f);
    box.appendChild(el('div', {class: 'head'}, [el('span', {class: 'sev sev-' + f.s, text: SEV[f.s]}), el('span', {class: 'code', text: f.c}),
      el('span', {class: 'rule-name', text: f.r || r.name}), el('span', {class: 'cat cat-' + f.k, text: f.k}),
      st ? el('span', {class: 'state state-' + st.status, text: st.status}) : null]));
    box.appendChild(el('div', {class: 'message', text: f.m}));
    if (f.b > f.a) {
      box.appendChild(el('div', {class: 'excerpt', text: shorten(d.text.slice(f.a, f.b), 600)}));
      box.appendChild(el('div', {class: 'muted', text: 'line ' + f.l + ', column ' + f.o}));
    } else {
      box.appendChild(el('div', {class: 'muted', text: 'Applies to the whole document.'}));
    }
    if (f.g && f.g.length) {
      box.appendChild(el('h4', {text: 'Suggestion' + (f.g.length > 1 ? 's' : '')}));
      box.appendChild(el('ul', null, f.g.map(function (s) { return el('li', {class: 'suggestion', text: s}); })));
    }
    if (r.why || r.summary) {
      box.appendChild(el('h4', {text: 'Why it matters'}));
      box.appendChild(el('div', {class: 'why', text: r.why || r.summary}));
      if (r.link) { box.appendChild(el('div', null, [el('a', {href: r.link, target: '_blank', rel: 'noopener noreferrer', text: 'More about ' + f.c})])); }
    }
    if (f.rel && f.rel.length) {
      box.appendChild(el('h4', {text: 'In other sources'}));
      box.appendChild(el('ul', {class: 'related'}, f.rel.map(function (loc) {
        var other = byId[loc.d];
        var label = (other && other.source ? other.source + ': ' : '') + "'" + shorten(loc.x || loc.m || loc.d, 90) + "'";
        return el('li', null, [passageLink(loc.d, loc.a, loc.b, label), el('div', {class: 'muted', text: loc.d + (loc.l ? ' line ' + loc.l : '') + (loc.m ? ' · ' + loc.m : '')})]);
      })));
    }
    var note = el('textarea', {id: 'review-note', placeholder: 'Note for the team (optional)', rows: '2'});
    note.value = st ? st.note : '';
    function set(status) { decide(d, f, status, note.value); var keep = current.finding; renderDoc(d, keep, null); }
    box.appendChild(el('div', {class: 'review-box'}, [
      el('h4', {text: 'Review'}),
      note,
      el('div', {class: 'buttons'}, [
        el('button', {type: 'button', class: 'accept' + (st && st.status === 'accepted' ? ' on' : ''), title: 'A real problem (a)', text: '✓ Accept', onclick: function () { set('accepted'); }}),
        el('button', {type: 'button', class: 'dismiss' + (st && st.status === 'dismissed' ? ' on' : ''), title: 'A false alarm (d)', text: '✕ Dismiss', onclick: function () { set('dismissed'); }}),
        decisions[f.p] ? el('button', {type: 'button', class: 'link', text: 'undo', onclick: function () { set(null); }}) : null
      ]),
      st && st.from !== 'this browser' ? el('div', {class: 'muted', text: 'Decided in the ' + st.from + (st.note ? ': ' + st.note : '') + '.'}) : null,
      storageOk ? null : el('div', {class: 'muted', text: 'This browser does not allow saving; export your decisions before closing the page.'})
    ]));
  }
  function stepFinding(delta) {
    var d = current.doc; if (!d) { return; }
    var idx = [];
    d.f.forEach(function (f, i) { if (visible(f)) { idx.push(i); } });
    if (!idx.length) { return; }
    var at = idx.indexOf(current.finding);
    var next = at < 0 ? (delta > 0 ? 0 : idx.length - 1) : Math.min(idx.length - 1, Math.max(0, at + delta));
    selectFinding(idx[next]);
  }
  function stepDoc(delta) {
    var order = docOrder(), at = current.doc ? order.indexOf(current.doc.i) : -1;
    var next = order[Math.min(order.length - 1, Math.max(0, at + delta))];
    if (next !== undefined) { location.hash = '#/doc/' + next; }
  }

  // ---- cross-source view -----------------------------------------------------------------
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }
  function evidenceWords(ev) {
    var n = function (k) { return typeof ev[k] === 'number' ? ev[k] : 0; };
    var out = [el('div', null, [plural(n('corroborated'), 'fact', 'facts') + ' confirmed by other sources, ' +
      n('contradicted') + ' contradicted' + (n('outvoted') ? ' (outvoted on ' + n('outvoted') + ')' : '') + ', ' +
      n('single') + ' reported by this source alone.'])];
    if (typeof ev.quality === 'number') { out.push(el('div', null, ['Its articles score ' + Math.round(ev.quality) + ' of 100 on average.'])); }
    if (n('copies')) { out.push(el('div', null, [plural(n('copies'), 'near-copy of another source counts', 'near-copies of other sources count') + ' once.'])); }
    if (ev.method) { out.push(el('div', {class: 'muted'}, ['Method: ' + ev.method + (typeof ev.trust === 'number' ? '; trust ' + Math.round(ev.trust * 100) + '%' : '') + '.'])); }
    return out;
  }
  function looksLikePath(name) { return /[\/\\]/.test(name) || /\.(txt|md|markdown|html?|jsonl?)(#.*)?$/i.test(name); }
  function sourceLabel(s) {
    var name = String(s.name || '');
    if (!looksLikePath(name)) { return [el('div', {text: name})]; }
    // the document names no source: say so, and name it by its article's title
    var d = byId[(s.documents || [])[0]], title = d && d.title;
    return [el('div', {text: title ? 'Unnamed source of “' + shorten(title, 60) + '”' : 'Unnamed source'}),
      el('div', {class: 'muted', text: name.split('/').pop()})];
  }
  var sourcesBuilt = false;
  function buildSources() {
    sourcesBuilt = true;
    var root = $('sources-body');
    if (!DATA.claims && !DATA.sources) {
      root.appendChild(el('div', {class: 'panel empty', id: 'no-cross-source'}, [el('h3', {text: 'No cross-source data in this report'}),
        el('p', {text: 'The agreement check (FA rules) did not run in this report, or found no facts reported by more than one source. Run qualcheck on articles from several sources about the same events to compare them.'})]));
      return;
    }
    var order = (DATA.sources || []).slice().sort(function (a, b) { return (b.reliability || 0) - (a.reliability || 0); });
    if (DATA.claims) {
      var names = order.map(function (s) { return s.name; });
      DATA.claims.forEach(function (c) { (c.values || []).forEach(function (v) { if (v.source && names.indexOf(v.source) < 0) { names.push(v.source); } }); });
      var counts = {};
      DATA.claims.forEach(function (c) { counts[c.status] = (counts[c.status] || 0) + 1; });
      var statusFilter = '';
      var head = el('tr', null, [el('th', {text: 'Fact'}), el('th', {text: 'Status'})].concat(names.map(function (n) { return el('th', {text: n}); })));
      var body = el('tbody');
      DATA.claims.forEach(function (c) {
        var cells = [el('td', null, [el('div', {text: c.subject || c.id}), el('div', {class: 'muted', text: [c.kind, c.event].filter(Boolean).join(' · ')})]),
          el('td', null, [el('span', {class: 'status status-' + c.status, text: c.status})])];
        names.forEach(function (n) {
          var vals = (c.values || []).filter(function (v) { return v.source === n; });
          cells.push(el('td', {class: 'val'}, vals.map(function (v) {
            var link = passageLink(v.document, v.start, v.end, String(v.value));
            link.setAttribute('title', (v.text || '') + ' — ' + v.document + (v.line ? ' line ' + v.line : ''));
            link.classList.add('v');
            return el('div', null, [link]);
          })));
        });
        body.appendChild(el('tr', {'data-status': c.status}, cells));
      });
      var chips = el('div', {class: 'actions'}, [el('span', {class: 'muted', text: 'Show:'})]);
      ['', 'contradicted', 'corroborated', 'single-source'].forEach(function (s) {
        var b = el('button', {type: 'button', class: s === '' ? 'primary' : null, 'data-status': s,
          text: (s || 'all') + ' (' + (s ? (counts[s] || 0) : DATA.claims.length) + ')'});
        b.addEventListener('click', function () {
          statusFilter = s;
          chips.querySelectorAll('button').forEach(function (o) { o.className = o === b ? 'primary' : ''; });
          body.querySelectorAll('tr').forEach(function (tr) { tr.hidden = !!statusFilter && tr.getAttribute('data-status') !== statusFilter; });
        });
        chips.appendChild(b);
      });
      root.appendChild(el('h2', {class: 'section', text: 'Claims across sources'}));
      root.appendChild(el('div', {class: 'panel'}, [chips]));
      root.appendChild(el('div', {class: 'table-wrap'}, [el('table', {class: 'grid claims', id: 'claims'}, [el('thead', null, [head]), body])]));
    } else {
      root.appendChild(el('div', {class: 'panel empty', text: 'No claims in this report.'}));
    }
    root.appendChild(el('h2', {class: 'section', text: 'Source reliability'}));
    if (!order.length) { root.appendChild(el('div', {class: 'panel empty', text: 'No source ranking in this report.'})); return; }
    var sbody = el('tbody');
    order.forEach(function (s, rank) {
      var docsCell = el('td', null, (s.documents || []).slice(0, 6).map(function (id) { return el('div', null, [passageLink(id, 0, 0, id)]); }));
      if ((s.documents || []).length > 6) { docsCell.appendChild(el('div', {class: 'muted', text: '+' + (s.documents.length - 6) + ' more'})); }
      var ev = el('td', {class: 'evidence'}, evidenceWords(s.evidence || {}));
      var pct = typeof s.reliability === 'number' ? s.reliability * 100 : null;
      sbody.appendChild(el('tr', null, [el('td', {class: 'num', text: String(rank + 1)}), el('td', {class: 'source-name'}, sourceLabel(s)),
        el('td', {class: 'reliability'}, [bar(pct, true, '%')]), docsCell, ev]));
    });
    root.appendChild(el('div', {class: 'table-wrap'}, [el('table', {class: 'grid', id: 'source-ranking'}, [
      el('thead', null, [el('tr', null, ['#', 'Source', 'Reliability', 'Documents', 'Evidence'].map(function (h) { return el('th', {text: h}); }))]), sbody])]));
  }

  // ---- review view ---------------------------------------------------------------------------
  function renderReview() {
    var body = $('decision-table').tBodies[0]; clear(body);
    var all = allDecisions(), keys = Object.keys(all).sort();
    if (!keys.length) { body.appendChild(el('tr', null, [el('td', {colspan: '6', class: 'empty', text: 'No decisions yet. Open a document, click a finding and accept or dismiss it.'})])); }
    keys.forEach(function (fp) {
      var v = all[fp], at = byFingerprint[fp];
      var passage = at ? el('a', {href: '#/doc/' + at[0] + '/' + at[1], text: shorten(v.excerpt, 80) || '(whole document)'}) : el('span', {class: 'muted', text: shorten(v.excerpt, 80) + ' (not in this report)'});
      body.appendChild(el('tr', null, [el('td', null, [el('span', {class: 'state state-' + v.status, text: v.status})]), el('td', {class: 'code', text: v.code}),
        el('td', {text: v.document}), el('td', null, [passage]), el('td', {text: v.note}), el('td', {class: 'muted', text: decisions[fp] ? 'this browser' : 'decisions file'})]));
    });
  }
  function setupReview() {
    $('export-decisions').addEventListener('click', function () {
      var text = exportDecisions();
      var url = URL.createObjectURL(new Blob([text], {type: 'application/x-ndjson'}));
      var a = el('a', {href: url, download: 'qualcheck-decisions.jsonl'});
      document.body.appendChild(a); a.click(); a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      $('review-status').textContent = 'Exported ' + text.split('\n').filter(Boolean).length + ' decision(s).';
    });
    $('import-decisions').addEventListener('change', function (ev) {
      var file = ev.target.files[0]; if (!file) { return; }
      var reader = new FileReader();
      reader.onload = function () {
        try { $('review-status').textContent = 'Imported ' + importDecisions(String(reader.result)) + ' decision(s) from ' + file.name + '.'; }
        catch (e) { $('review-status').textContent = file.name + ': ' + e.message; }
        renderReview();
      };
      reader.readAsText(file);
    });
    $('clear-decisions').addEventListener('click', function () {
      if (!window.confirm('Forget every decision stored in this browser? Export them first if you need them.')) { return; }
      decisions = {}; saveDecisions(); overviewDirty = true; renderReview();
    });
  }

  // ---- routing and keys ------------------------------------------------------------------------
  function show(view) {
    current.view = view;
    ['overview', 'doc', 'sources', 'review'].forEach(function (v) { $('view-' + v).hidden = v !== view; });
    document.querySelectorAll('.tabs a').forEach(function (a) { a.classList.toggle('active', a.getAttribute('data-view') === view); });
    $('filters').hidden = !(view === 'overview' || view === 'doc');
  }
  // data-route names the address the page has finished rendering: a hash change renders later, so
  // scripts driving the page (tests) wait until data-route equals location.hash
  function markRendered() { document.body.setAttribute('data-route', location.hash); }
  function route() {
    var parts = location.hash.replace(/^#\/?/, '').split('/');
    var view = parts[0] || 'overview';
    if (view === 'doc') {
      var d = docs[+parts[1]] || current.doc || docs[0];
      if (!d) { show('overview'); return; }
      show('doc');
      var sel = null, focus = null;
      if (parts[2] && parts[2].charAt(0) === '@') {
        var ab = parts[2].slice(1).split('-').map(Number);
        focus = [ab[0], ab[1]];
        d.f.forEach(function (f, i) { if (sel === null && f.a === ab[0] && f.b === ab[1] && visible(f)) { sel = i; } });
      } else if (parts[2] !== undefined && parts[2] !== '') { sel = +parts[2]; }
      renderDoc(d, sel, focus && focus[1] > focus[0] ? focus : null);
    } else if (view === 'sources') { show('sources'); if (!sourcesBuilt) { buildSources(); } }
    else if (view === 'review') { show('review'); renderReview(); }
    else { show('overview'); refreshOverview(); }
  }
  document.addEventListener('keydown', function (ev) {
    var tag = (ev.target.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'textarea' || tag === 'select') { if (ev.key === 'Escape') { ev.target.blur(); } return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    if (current.view === 'doc') {
      if (ev.key === 'j' || ev.key === 'n') { stepFinding(1); ev.preventDefault(); }
      else if (ev.key === 'k' || ev.key === 'p') { stepFinding(-1); ev.preventDefault(); }
      else if (ev.key === 'J') { stepDoc(1); } else if (ev.key === 'K') { stepDoc(-1); }
      else if ((ev.key === 'a' || ev.key === 'd') && current.finding !== null) {
        var f = current.doc.f[current.finding], note = $('review-note');
        decide(current.doc, f, ev.key === 'a' ? 'accepted' : 'dismissed', note ? note.value : '');
        renderDoc(current.doc, current.finding, null);
      }
      else if (ev.key === 'Escape') { location.hash = '#/overview'; }
    } else if (current.view === 'overview' && ev.key === '/') { $('doc-search').focus(); ev.preventDefault(); }
  });
  $('doc-text').addEventListener('click', function (ev) {
    var m = ev.target.closest('mark[data-f]');
    if (!m || !m.getAttribute('data-f')) { return; }
    var ids = m.getAttribute('data-f').split(' ').map(Number);
    var at = ids.indexOf(current.finding);
    selectFinding(ids[(at + 1) % ids.length], false);  // clicking again cycles through overlapping findings
    var li = document.querySelector('#finding-list li.active'); if (li) { li.scrollIntoView({block: 'nearest'}); }
  });
  $('finding-list').addEventListener('click', function (ev) {
    var li = ev.target.closest('li[data-i]'); if (li) { selectFinding(+li.getAttribute('data-i')); }
  });
  $('doc-prev').addEventListener('click', function () { stepDoc(-1); });
  $('doc-next').addEventListener('click', function () { stepDoc(1); });

  buildFilters();
  buildOverview();
  setupReview();
  updateReviewCount();
  window.addEventListener('hashchange', function () { route(); markRendered(); });
  route();
  markRendered();
  window.qualcheck = {data: DATA, exportDecisions: exportDecisions, importDecisions: importDecisions, readyMs: performance.now() - t0};
  document.body.setAttribute('data-ready', 'true');
})();
{% endraw %}
