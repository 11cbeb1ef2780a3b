/*
 * Sapa live chat widget. Embed with:
 *   <script src="https://<gateway>/livechat/widget.js" data-channel="<channel id>" [data-lang="en"] async></script>
 *
 * Plain ES2019, no build step, no dependencies: it is served as written by GET /livechat/widget.js. It talks to the
 * gateway over GET /livechat/{channelId}/ws (frames described in services/gateway/src/livechat/README.md) and uploads
 * files with POST /livechat/{channelId}/attachments. The visitor's token and the transcript cursor live in
 * localStorage, so a reload or a dropped network resumes the same chat. The UI sits in a shadow root, so neither the
 * page's styles reach it nor its styles the page.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script || !script.getAttribute('data-channel')) {
    if (window.console) console.error('[sapa] the widget script needs data-channel="<channel id>"');
    return;
  }
  var channelId = script.getAttribute('data-channel');
  var base = new URL(script.src, document.baseURI);
  var httpBase = base.origin;
  var wsUrl = (base.protocol === 'https:' ? 'wss://' : 'ws://') + base.host + '/livechat/' + encodeURIComponent(channelId) + '/ws';
  var storageKey = 'sapa-livechat:' + channelId;
  var lang = pickLang(script.getAttribute('data-lang'));

  var TEXTS = {
    id: {
      open: 'Chat dengan kami',
      title: 'Layanan Pelanggan',
      closedHours: 'Saat ini di luar jam operasional. Tinggalkan pesan, kami akan membalas secepatnya.',
      formIntro: 'Sebelum memulai, mohon isi data berikut.',
      name: 'Nama',
      phone: 'Nomor telepon',
      email: 'Email',
      start: 'Mulai chat',
      placeholder: 'Tulis pesan…',
      send: 'Kirim',
      attach: 'Lampirkan file',
      end: 'Akhiri chat',
      endConfirm: 'Akhiri chat ini?',
      ended: 'Chat telah diakhiri. Anda masih bisa menulis pesan jika membutuhkan bantuan lagi.',
      conversationClosed: 'Percakapan telah ditutup. Tulis pesan untuk memulai percakapan baru.',
      typing: 'sedang mengetik…',
      agent: 'Agen',
      you: 'Anda',
      connecting: 'Menghubungkan…',
      offline: 'Koneksi terputus, mencoba lagi…',
      sending: 'mengirim…',
      failed: 'gagal terkirim',
      uploadTooLarge: 'File terlalu besar (maksimal 10 MB).',
      uploadRefused: 'Jenis file ini tidak dapat dikirim.',
      uploadFailed: 'File gagal diunggah, coba lagi.',
      required: 'Wajib diisi.',
      invalid_phone: 'Nomor telepon tidak valid.',
      invalid_email: 'Alamat email tidak valid.',
      phone_or_email_required: 'Isi nomor telepon atau email.',
      close: 'Tutup',
      reply: 'Balas',
      cancelReply: 'Batal membalas',
      attachment: 'Lampiran',
    },
    en: {
      open: 'Chat with us',
      title: 'Customer Service',
      closedHours: 'We are outside business hours right now. Leave a message and we will reply as soon as we can.',
      formIntro: 'Before we start, please tell us who you are.',
      name: 'Name',
      phone: 'Phone number',
      email: 'Email',
      start: 'Start chat',
      placeholder: 'Type a message…',
      send: 'Send',
      attach: 'Attach a file',
      end: 'End chat',
      endConfirm: 'End this chat?',
      ended: 'The chat has ended. You can still write if you need more help.',
      conversationClosed: 'The conversation was closed. Write a message to start a new one.',
      typing: 'is typing…',
      agent: 'Agent',
      you: 'You',
      connecting: 'Connecting…',
      offline: 'Connection lost, retrying…',
      sending: 'sending…',
      failed: 'not sent',
      uploadTooLarge: 'The file is too large (10 MB at most).',
      uploadRefused: 'This kind of file cannot be sent.',
      uploadFailed: 'The file could not be uploaded; try again.',
      required: 'Required.',
      invalid_phone: 'This phone number is not valid.',
      invalid_email: 'This email address is not valid.',
      phone_or_email_required: 'Give a phone number or an email.',
      close: 'Close',
      reply: 'Reply',
      cancelReply: 'Cancel reply',
      attachment: 'Attachment',
    },
  };
  var t = TEXTS[lang];

  function pickLang(attr) {
    if (attr === 'en' || attr === 'id') return attr;
    var nav = (navigator.languages && navigator.languages[0]) || navigator.language || '';
    return /^en\b/i.test(nav) ? 'en' : 'id';
  }

  // ---- stored state (token, cursor) --------------------------------------------------------------------------
  function load() {
    try {
      return JSON.parse(localStorage.getItem(storageKey) || '{}') || {};
    } catch (e) {
      return {};
    }
  }
  function save(patch) {
    var state = load();
    for (var k in patch) if (Object.prototype.hasOwnProperty.call(patch, k)) state[k] = patch[k];
    try {
      localStorage.setItem(storageKey, JSON.stringify(state));
    } catch (e) {
      /* private mode: the chat still works, it just will not resume after a reload */
    }
  }
  function forget() {
    try {
      localStorage.removeItem(storageKey);
    } catch (e) {
      /* nothing to forget */
    }
  }

  // ---- DOM ----------------------------------------------------------------------------------------------------
  var host = document.createElement('div');
  host.setAttribute('data-sapa-livechat', channelId);
  var root = host.attachShadow({ mode: 'open' });
  root.innerHTML =
    '<style>' +
    ':host{all:initial}' +
    '*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:14px}' +
    '.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:24px;padding:12px 18px;background:#0b6e4f;color:#fff;cursor:pointer;box-shadow:0 4px 12px rgba(0,0,0,.2)}' +
    '.panel{position:fixed;right:20px;bottom:20px;z-index:2147483001;width:340px;max-width:calc(100vw - 40px);height:500px;max-height:calc(100vh - 40px);display:none;flex-direction:column;background:#fff;border-radius:12px;box-shadow:0 8px 24px rgba(0,0,0,.25);overflow:hidden}' +
    '.panel.open{display:flex}' +
    '.head{background:#0b6e4f;color:#fff;padding:10px 12px;display:flex;align-items:center;gap:8px}' +
    '.head .title{flex:1;font-weight:600}' +
    '.head button{background:transparent;border:1px solid rgba(255,255,255,.6);color:#fff;border-radius:6px;padding:4px 8px;cursor:pointer;font-size:12px}' +
    '.banner{background:#fff4d6;color:#6b4e00;padding:8px 12px;font-size:13px;display:none}' +
    '.status{background:#eef;color:#334;padding:4px 12px;font-size:12px;display:none}' +
    '.form{padding:12px;display:none;flex-direction:column;gap:8px;overflow:auto}' +
    '.form label{display:flex;flex-direction:column;gap:2px}' +
    '.form input{padding:8px;border:1px solid #bbb;border-radius:6px}' +
    '.form .err{color:#b00020;font-size:12px;min-height:0}' +
    '.form button{padding:10px;border:0;border-radius:6px;background:#0b6e4f;color:#fff;cursor:pointer}' +
    '.chat{flex:1;display:none;flex-direction:column;min-height:0}' +
    '.log{flex:1;overflow:auto;padding:10px;display:flex;flex-direction:column;gap:6px;background:#f6f7f9}' +
    '.msg{position:relative;max-width:80%;padding:7px 10px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word}' +
    '.msg.in{align-self:flex-end;background:#0b6e4f;color:#fff}' +
    '.msg.out{align-self:flex-start;background:#fff;border:1px solid #ddd}' +
    '.msg.system{align-self:center;background:#eceff3;color:#333;font-size:13px}' +
    '.msg .who{display:block;font-size:11px;opacity:.75;margin-bottom:2px}' +
    '.msg .state{display:block;font-size:11px;opacity:.75}' +
    '.msg a{color:inherit}' +
    // Beside the bubble, on its inner side: inside it would sit under the author's name and the text.
    '.msg .reply-action{position:absolute;top:50%;transform:translateY(-50%);padding:2px 4px;border:0;background:transparent;color:#555;opacity:.6;cursor:pointer;font-size:13px}' +
    '.msg.in .reply-action{right:100%;margin-right:2px}' +
    '.msg.out .reply-action,.msg.system .reply-action{left:100%;margin-left:2px}' +
    '.msg .reply-action:hover,.msg .reply-action:focus{opacity:1}' +
    '.quote{display:block;border-left:3px solid currentColor;padding:2px 6px;margin-bottom:4px;font-size:12px;opacity:.8;cursor:pointer;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}' +
    '.quote .who{display:block;font-weight:600}' +
    '.reply-bar{display:none;align-items:center;gap:6px;padding:4px 8px;border-top:1px solid #ddd;background:#f6f7f9;color:#333}' +
    '.reply-bar .quote{flex:1;margin:0}' +
    '.reply-bar button{border:0;background:transparent;font-size:16px;cursor:pointer;color:#333}' +
    '.notice{align-self:center;color:#555;font-size:12px;text-align:center;padding:4px}' +
    '.typing{padding:2px 12px;font-size:12px;color:#555;min-height:18px}' +
    '.compose{display:flex;gap:6px;padding:8px;border-top:1px solid #ddd;align-items:flex-end}' +
    '.compose textarea{flex:1;resize:none;height:38px;padding:8px;border:1px solid #bbb;border-radius:6px}' +
    '.compose button{padding:8px 10px;border:0;border-radius:6px;background:#0b6e4f;color:#fff;cursor:pointer}' +
    '.compose .attach{background:#e4e7eb;color:#222}' +
    '</style>' +
    '<button class="launcher" part="launcher" data-sapa="launcher"></button>' +
    '<section class="panel" role="dialog" data-sapa="panel">' +
    '<div class="head"><span class="title" data-sapa="title"></span>' +
    '<button type="button" data-sapa="end"></button><button type="button" data-sapa="close" aria-label="close">×</button></div>' +
    '<div class="banner" data-sapa="hours-banner" role="status"></div>' +
    '<div class="status" data-sapa="connection" role="status"></div>' +
    '<form class="form" data-sapa="pre-chat" novalidate></form>' +
    '<div class="chat" data-sapa="chat">' +
    '<div class="log" data-sapa="log" aria-live="polite"></div>' +
    '<div class="typing" data-sapa="typing"></div>' +
    '<div class="reply-bar" data-sapa="reply-bar"><div class="quote" data-sapa="reply-quote"></div>' +
    '<button type="button" data-sapa="reply-cancel">×</button></div>' +
    '<div class="compose"><button type="button" class="attach" data-sapa="attach"></button>' +
    '<input type="file" data-sapa="file" hidden>' +
    '<textarea data-sapa="input" rows="1"></textarea><button type="button" data-sapa="send"></button></div>' +
    '</div></section>';

  function $(name) {
    return root.querySelector('[data-sapa="' + name + '"]');
  }
  var ui = {
    launcher: $('launcher'),
    panel: $('panel'),
    title: $('title'),
    end: $('end'),
    close: $('close'),
    banner: $('hours-banner'),
    connection: $('connection'),
    form: $('pre-chat'),
    chat: $('chat'),
    log: $('log'),
    typing: $('typing'),
    replyBar: $('reply-bar'),
    replyQuote: $('reply-quote'),
    replyCancel: $('reply-cancel'),
    attach: $('attach'),
    file: $('file'),
    input: $('input'),
    send: $('send'),
  };
  ui.launcher.textContent = t.open;
  ui.title.textContent = t.title;
  ui.end.textContent = t.end;
  ui.close.setAttribute('aria-label', t.close);
  ui.attach.textContent = '📎';
  ui.attach.setAttribute('aria-label', t.attach);
  ui.attach.title = t.attach;
  ui.input.placeholder = t.placeholder;
  ui.send.textContent = t.send;
  ui.replyCancel.setAttribute('aria-label', t.cancelReply);
  ui.replyCancel.title = t.cancelReply;
  ui.end.style.display = 'none';

  // ---- state ----------------------------------------------------------------------------------------------------
  var ws = null;
  var retries = 0;
  var reconnectTimer = null;
  var sessionReady = false;
  var hello = null;
  var shown = {}; // message id or client id → element
  var replyingTo = null; // {target, quote}: the message the visitor is answering, shown above the input
  var outbox = []; // visitor messages not acknowledged yet, resent after a reconnect
  var typingSentAt = 0;
  var typingStopTimer = null;
  var agentTypingTimer = null;
  var resumedInPage = false;

  function randomId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += ('0' + bytes[i].toString(16)).slice(-2);
    return s;
  }

  function frame(obj) {
    if (ws && ws.readyState === 1) {
      ws.send(JSON.stringify(obj));
      return true;
    }
    return false;
  }

  function setConnection(text) {
    ui.connection.textContent = text || '';
    ui.connection.style.display = text ? 'block' : 'none';
  }

  function connect() {
    if (ws && (ws.readyState === 0 || ws.readyState === 1)) return;
    clearTimeout(reconnectTimer);
    setConnection(t.connecting);
    sessionReady = false;
    ws = new WebSocket(wsUrl);
    ws.onmessage = function (ev) {
      var f;
      try {
        f = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      onFrame(f);
    };
    ws.onclose = function (ev) {
      sessionReady = false;
      // 1008: the server refused this socket for bad frames; 4xxx/403 handshakes end in 1006 and are retried slowly.
      var delay = Math.min(15000, 1000 * Math.pow(2, retries));
      retries += 1;
      setConnection(t.offline);
      reconnectTimer = setTimeout(connect, ev.code === 1008 ? 30000 : delay);
    };
  }

  function onFrame(f) {
    switch (f.type) {
      case 'hello':
        hello = f;
        retries = 0;
        setConnection('');
        if (f.brand) ui.title.textContent = f.brand;
        ui.banner.textContent = t.closedHours;
        ui.banner.style.display = f.businessHours && f.businessHours.open === false ? 'block' : 'none';
        var stored = load();
        if (stored.token) {
          var resume = { type: 'resume', token: stored.token, lang: lang };
          if (resumedInPage && stored.cursor) resume.since = stored.cursor;
          frame(resume);
        } else {
          showForm(f.preChatForm);
        }
        break;
      case 'session':
        if (f.token) save({ token: f.token, cursor: null });
        sessionReady = true;
        showChat();
        break;
      case 'history':
        resumedInPage = true;
        if (f.cursor) save({ cursor: f.cursor });
        for (var i = 0; i < f.messages.length; i++) showMessage(f.messages[i]);
        if (f.conversation && f.conversation.status === 'closed') showNotice(t.conversationClosed);
        flushOutbox();
        break;
      case 'message':
        showMessage(f.message);
        if (f.message.direction === 'out') showAgentTyping(false);
        break;
      case 'ack':
        settle(f.id, null);
        break;
      case 'typing':
        showAgentTyping(f.typing, f.name);
        break;
      case 'conversation':
        if (f.status === 'closed') showNotice(t.conversationClosed);
        break;
      case 'ended':
        showNotice(t.ended);
        break;
      case 'error':
        onError(f);
        break;
      default:
        break;
    }
  }

  function onError(f) {
    var details = f.details || {};
    if (f.code === 'invalid_visitor_token') {
      forget();
      resumedInPage = false;
      showForm(hello && hello.preChatForm);
    } else if (f.code === 'invalid_pre_chat_form') {
      showFormErrors(details.errors || []);
    } else if (details.id) {
      settle(details.id, details.retryable ? null : t.failed, details.retryable);
    }
  }

  // ---- pre-chat form --------------------------------------------------------------------------------------------
  function showForm(form) {
    var fields = (form && form.fields) || [{ key: 'name', required: true }, { key: 'phone' }, { key: 'email' }];
    ui.chat.style.display = 'none';
    ui.end.style.display = 'none';
    ui.form.style.display = 'flex';
    ui.form.innerHTML = '';
    var intro = document.createElement('p');
    intro.textContent = t.formIntro;
    ui.form.appendChild(intro);
    fields.forEach(function (field) {
      var label = document.createElement('label');
      var caption = document.createElement('span');
      caption.textContent = t[field.key] + (field.required ? ' *' : '');
      var input = document.createElement('input');
      input.name = field.key;
      input.type = field.key === 'email' ? 'email' : field.key === 'phone' ? 'tel' : 'text';
      input.autocomplete = field.key === 'phone' ? 'tel' : field.key;
      input.setAttribute('data-sapa', 'field-' + field.key);
      var err = document.createElement('span');
      err.className = 'err';
      err.setAttribute('data-sapa', 'error-' + field.key);
      label.appendChild(caption);
      label.appendChild(input);
      label.appendChild(err);
      ui.form.appendChild(label);
    });
    var submit = document.createElement('button');
    submit.type = 'submit';
    submit.textContent = t.start;
    submit.setAttribute('data-sapa', 'start');
    ui.form.appendChild(submit);
  }

  ui.form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var answers = {};
    var inputs = ui.form.querySelectorAll('input');
    for (var i = 0; i < inputs.length; i++) if (inputs[i].value.trim()) answers[inputs[i].name] = inputs[i].value.trim();
    showFormErrors(checkLocally(answers));
    // The gateway checks again (and the phone properly, with libphonenumber); this only spares an obvious round trip.
    if (checkLocally(answers).length === 0) frame({ type: 'start', form: answers, lang: lang });
  });

  function checkLocally(answers) {
    var form = (hello && hello.preChatForm) || { fields: [] };
    var errors = [];
    var keys = {};
    form.fields.forEach(function (f) {
      keys[f.key] = true;
      if (f.required && !answers[f.key]) errors.push({ field: f.key, code: 'required' });
    });
    if (answers.email && !/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(answers.email)) errors.push({ field: 'email', code: 'invalid_email' });
    if (answers.phone && !/^[+()\d\s.-]{6,20}$/.test(answers.phone)) errors.push({ field: 'phone', code: 'invalid_phone' });
    if (form.phoneOrEmail !== false && keys.phone && keys.email && !answers.phone && !answers.email) {
      errors.push({ field: 'phone', code: 'phone_or_email_required' });
    }
    return errors;
  }

  function showFormErrors(errors) {
    var spans = ui.form.querySelectorAll('.err');
    for (var i = 0; i < spans.length; i++) spans[i].textContent = '';
    errors.forEach(function (e) {
      var span = ui.form.querySelector('[data-sapa="error-' + e.field + '"]');
      if (span && !span.textContent) span.textContent = t[e.code] || e.code;
    });
  }

  // ---- transcript -------------------------------------------------------------------------------------------
  function showChat() {
    ui.form.style.display = 'none';
    ui.chat.style.display = 'flex';
    ui.end.style.display = 'inline-block';
  }

  function showMessage(m) {
    var key = m.clientId || m.id;
    var existing = shown[m.id] || (m.clientId && shown[m.clientId]);
    if (existing) {
      shown[m.id] = existing;
      return;
    }
    var el = document.createElement('div');
    var kind = m.authorType === 'system' ? 'system' : m.direction;
    el.className = 'msg ' + kind;
    el.setAttribute('data-sapa', 'message');
    el.setAttribute('data-direction', m.direction);
    el.setAttribute('data-author', m.authorType);
    var target = replyTarget(m);
    if (target) {
      var action = document.createElement('button');
      action.type = 'button';
      action.className = 'reply-action';
      action.setAttribute('data-sapa', 'reply');
      action.setAttribute('aria-label', t.reply);
      action.title = t.reply;
      action.textContent = '↩';
      action.addEventListener('click', function () {
        startReply(target, { id: m.id, clientId: m.clientId, direction: m.direction, excerpt: excerptOf(m.text) });
      });
      el.appendChild(action);
    }
    if (m.direction === 'out' && m.authorType === 'agent') {
      var who = document.createElement('span');
      who.className = 'who';
      who.textContent = m.authorName || t.agent;
      el.appendChild(who);
    }
    if (m.replyTo) el.appendChild(quoteElement(m.replyTo));
    var body = document.createElement('span');
    body.className = 'text';
    body.textContent = m.text || '';
    el.appendChild(body);
    (m.attachments || []).forEach(function (a) {
      var line = document.createElement(a.url ? 'a' : 'span');
      line.style.display = 'block';
      line.textContent = '📎 ' + (a.filename || a.contentType);
      if (a.url && /^https?:/i.test(a.url)) {
        line.href = a.url;
        line.target = '_blank';
        line.rel = 'noopener noreferrer';
      }
      el.appendChild(line);
    });
    ui.log.appendChild(el);
    shown[m.id] = el;
    if (m.clientId) shown[m.clientId] = el;
    shown[key] = el;
    ui.log.scrollTop = ui.log.scrollHeight;
    return el;
  }

  // ---- quoted replies ---------------------------------------------------------------------------------------
  // The id the gateway knows a message by: the widget's own for the visitor's messages, Sapa's for the others (one
  // only just sent from another tab has neither yet, and cannot be answered until the next resume).
  function replyTarget(m) {
    if (m.direction === 'in') return m.clientId ? { clientId: m.clientId } : null;
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(m.id) ? { messageId: m.id } : null;
  }

  // The first words on one line, as the gateway cuts them (message-view.ts excerptOf).
  function excerptOf(text) {
    var line = (text || '').replace(/\s+/g, ' ').trim();
    if (!line) return null;
    var chars = Array.from(line);
    return chars.length <= 100 ? line : chars.slice(0, 99).join('').replace(/\s+$/, '') + '…';
  }

  function quoteElement(q) {
    var el = document.createElement('span');
    el.className = 'quote';
    el.setAttribute('data-sapa', 'quote');
    var who = document.createElement('span');
    who.className = 'who';
    who.textContent = q.direction === 'in' ? t.you : t.agent;
    var words = document.createElement('span');
    words.textContent = q.excerpt || '📎 ' + t.attachment;
    el.appendChild(who);
    el.appendChild(words);
    el.addEventListener('click', function () {
      var quoted = (q.clientId && shown[q.clientId]) || shown[q.id];
      if (quoted && quoted.scrollIntoView) quoted.scrollIntoView({ block: 'center' });
    });
    return el;
  }

  function startReply(target, quote) {
    replyingTo = { target: target, quote: quote };
    ui.replyQuote.replaceWith(quoteElement(quote));
    ui.replyQuote = ui.replyBar.querySelector('.quote');
    ui.replyQuote.setAttribute('data-sapa', 'reply-quote');
    ui.replyBar.style.display = 'flex';
    ui.input.focus();
  }

  function cancelReply() {
    replyingTo = null;
    ui.replyBar.style.display = 'none';
  }

  ui.replyCancel.addEventListener('click', cancelReply);

  function showNotice(text) {
    var el = document.createElement('div');
    el.className = 'notice';
    el.setAttribute('data-sapa', 'notice');
    el.textContent = text;
    ui.log.appendChild(el);
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function showAgentTyping(on, name) {
    clearTimeout(agentTypingTimer);
    ui.typing.textContent = on ? (name || t.agent) + ' ' + t.typing : '';
    // A lost "stopped typing" must not leave the line up for good.
    if (on) agentTypingTimer = setTimeout(function () { ui.typing.textContent = ''; }, 6000);
  }

  // ---- sending ------------------------------------------------------------------------------------------------
  function queueMessage(text, attachments) {
    var m = { type: 'message', id: randomId() };
    if (text) m.text = text;
    if (attachments && attachments.length) m.attachments = attachments;
    var quote = null;
    if (replyingTo) {
      m.replyTo = replyingTo.target;
      quote = replyingTo.quote;
      cancelReply();
    }
    outbox.push(m);
    var local = { id: 'local:' + m.id, clientId: m.id, direction: 'in', authorType: 'contact', text: text || '', attachments: [] };
    if (quote) local.replyTo = quote;
    var el = showMessage(local);
    markState(m.id, t.sending);
    frame(m);
    return el;
  }

  function flushOutbox() {
    if (!sessionReady) return;
    outbox.forEach(function (m) { frame(m); });
  }

  function settle(clientId, failure, keep) {
    if (!keep) outbox = outbox.filter(function (m) { return m.id !== clientId; });
    markState(clientId, failure);
  }

  function markState(clientId, text) {
    var el = shown[clientId];
    if (!el) return;
    var state = el.querySelector('.state');
    if (!state) {
      state = document.createElement('span');
      state.className = 'state';
      el.appendChild(state);
    }
    state.textContent = text || '';
  }

  function sendTyping(on) {
    if (!sessionReady) return;
    var now = Date.now();
    if (on && now - typingSentAt < 2000) return;
    typingSentAt = on ? now : 0;
    frame({ type: 'typing', typing: on });
  }

  function sendText() {
    var text = ui.input.value;
    if (!text.trim() || !sessionReady) return;
    ui.input.value = '';
    clearTimeout(typingStopTimer);
    if (typingSentAt) sendTyping(false);
    queueMessage(text);
  }

  ui.send.addEventListener('click', sendText);
  ui.input.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && !ev.shiftKey) {
      ev.preventDefault();
      sendText();
    } else if (ev.key === 'Escape' && replyingTo) {
      cancelReply();
    }
  });
  ui.input.addEventListener('input', function () {
    sendTyping(true);
    clearTimeout(typingStopTimer);
    typingStopTimer = setTimeout(function () { sendTyping(false); }, 3000);
  });

  ui.attach.addEventListener('click', function () { ui.file.click(); });
  ui.file.addEventListener('change', function () {
    var file = ui.file.files && ui.file.files[0];
    ui.file.value = '';
    if (!file || !sessionReady) return;
    upload(file);
  });

  function upload(file) {
    var token = load().token;
    fetch(httpBase + '/livechat/' + encodeURIComponent(channelId) + '/attachments', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + token, 'content-type': file.type || 'application/octet-stream', 'x-filename': encodeURIComponent(file.name) },
      body: file,
    })
      .then(function (res) {
        return res.json().then(function (body) { return { status: res.status, body: body }; });
      })
      .then(function (r) {
        if (r.status === 201) {
          queueMessage('', [{ id: r.body.id }]);
          var el = shown[outbox[outbox.length - 1].id];
          if (el) el.querySelector('.text').textContent = '📎 ' + (r.body.filename || file.name);
        } else {
          showNotice(r.status === 413 ? t.uploadTooLarge : r.status === 415 ? t.uploadRefused : t.uploadFailed);
        }
      })
      .catch(function () { showNotice(t.uploadFailed); });
  }

  ui.end.addEventListener('click', function () {
    if (window.confirm(t.endConfirm)) frame({ type: 'end' });
  });

  // ---- open and close ---------------------------------------------------------------------------------------------
  function openPanel() {
    ui.panel.classList.add('open');
    ui.launcher.style.display = 'none';
    connect();
  }
  ui.launcher.addEventListener('click', openPanel);
  ui.close.addEventListener('click', function () {
    ui.panel.classList.remove('open');
    ui.launcher.style.display = 'block';
  });

  function mount() {
    document.body.appendChild(host);
    // A visitor with a chat going on sees it again at once (after a reload or on the next page).
    if (load().token) openPanel();
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);

  // For the page (and tests): open the chat from a button of its own.
  window.SapaLivechat = { open: openPanel };
})();
