// The compliance dashboard of leitplanke (/admin): a client of the admin API
// (schema/admin.openapi.yaml). No framework, no build step, nothing from the internet.
// The gateway's Content-Security-Policy forbids inline scripts and styles, so every element
// is built with DOM APIs and styled by classes from app.css; text goes in with textContent.
//
// Views are chosen by the location hash: #overview, #decisions, #decisions/<record_id>,
// #services, #rules, #detections, #audit, #register, #departments, #alerts. The CSRF token of the session lives in memory only.

const API = '/admin/api';
const LANG_KEY = 'leitplanke.admin.lang';
const POLL_MS = 15000;
const PAGE_SIZE = 50;
const SVG_NS = 'http://www.w3.org/2000/svg';

// ---------------------------------------------------------------------------
// Texts (German first; English the same keys)

const TEXT = {
  de: {
    doc_title: 'leitplanke – Aufsicht',
    skip: 'Zum Inhalt springen',
    app_sub: 'Aufsicht über die KI-Nutzung',
    lang_switch: 'English',
    logout: 'Abmelden',
    nav_label: 'Hauptnavigation',
    nav_overview: 'Übersicht',
    nav_decisions: 'Entscheidungen',
    nav_services: 'Dienste',
    role_line: 'Angemeldet als: {0}',
    role_dpo: 'Datenschutzbeauftragte',
    role_admin: 'Administration',
    role_council: 'Personalrat (nur lesen)',
    login_title: 'Anmelden',
    login_intro: 'Für Datenschutzbeauftragte, Administration und Personalrat. Melden Sie sich mit Ihrem API-Schlüssel an.',
    login_key: 'API-Schlüssel',
    login_submit: 'Anmelden',
    login_empty: 'Bitte geben Sie Ihren API-Schlüssel ein.',
    login_ok: 'Angemeldet.',
    logged_out: 'Sie sind abgemeldet.',
    session_expired: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich neu an.',
    network_error: 'Der Server ist nicht erreichbar.',
    http_error: 'Fehler {0}.',
    loading: 'Wird geladen …',
    window_label: 'Zeitraum',
    window_24h: '24 Stunden',
    window_7d: '7 Tage',
    window_quarter: 'Quartal',
    updated: 'zuletzt aktualisiert {0}',
    range: 'Zeitraum: {0} bis {1}',
    fig_requests: 'Anfragen',
    fig_allowed: 'erlaubt',
    fig_redacted: 'maskiert',
    fig_blocked: 'abgelehnt',
    fig_error: 'fehlgeschlagen',
    fig_requests_help: 'alle Anfragen an KI-Dienste',
    fig_allowed_help: 'unverändert weitergeleitet',
    fig_redacted_help: 'personenbezogene Daten vor dem Versand entfernt',
    fig_blocked_help: 'nach den Regeln abgelehnt',
    fig_error_help: 'der KI-Dienst war nicht erreichbar oder meldete einen Fehler',
    suppressed: 'verborgen',
    suppressed_title: 'Verborgen: Diese Zahl betrifft weniger als {0} Personen.',
    k_note: '„–“ heißt: verborgen, weil weniger als {0} Personen dahinter stehen. So bleiben einzelne Beschäftigte geschützt.',
    chart_title: 'Verlauf',
    chart_desc_hour: 'Anfragen und abgelehnte Anfragen je Stunde',
    chart_desc_day: 'Anfragen und abgelehnte Anfragen je Tag',
    chart_summary: '{0}, {1} Zeitpunkte; höchstens {2} Anfragen. Die Tabelle unter dem Diagramm enthält alle Werte.',
    chart_empty: 'Keine Daten in diesem Zeitraum.',
    chart_table: 'Werte als Tabelle',
    col_time: 'Zeit',
    col_requests: 'Anfragen',
    col_blocked: 'abgelehnt',
    col_redacted: 'maskiert',
    legend_requests: 'Anfragen (volle Balken)',
    legend_blocked: 'davon abgelehnt (schraffiert)',
    decisions_intro: 'Jede Anfrage wird als Entscheidung protokolliert: ohne Text der Anfrage und ohne Angaben zu Beschäftigten.',
    f_department: 'Amt',
    f_service: 'Dienst',
    f_decision: 'Entscheidung',
    f_all: 'alle',
    f_rule: 'Regel (ID)',
    f_from: 'von',
    f_to: 'bis',
    filter_submit: 'Anzeigen',
    filter_reset: 'Zurücksetzen',
    load_more: 'Weitere laden',
    d_allowed: 'erlaubt',
    d_redacted: 'maskiert',
    d_blocked: 'abgelehnt',
    d_error: 'Fehler',
    decisions_caption: 'Entscheidungen, neueste zuerst ({0} angezeigt)',
    decisions_none: 'Keine Entscheidungen für diese Auswahl.',
    decisions_found: '{0} Entscheidungen angezeigt.',
    decisions_more_loaded: '{0} weitere geladen.',
    col_ts: 'Zeit',
    col_department: 'Amt',
    col_service: 'Dienst',
    col_model: 'Modell',
    col_decision: 'Entscheidung',
    col_rules: 'Regeln',
    col_entities: 'Erkannte Daten',
    open_decision: 'Entscheidung vom {0} öffnen',
    back_to_list: '← Zurück zur Liste',
    decision_title: 'Entscheidung',
    decision_title_at: 'Entscheidung vom {0}',
    meta_title: 'Angaben',
    m_record_id: 'Kennung',
    m_ts: 'Zeit',
    m_tenant: 'Verwaltung (Mandant)',
    m_department: 'Amt',
    m_service: 'Dienst',
    m_model: 'Modell',
    m_routed_to: 'Weitergeleitet an',
    m_purpose: 'Anwendungsfall',
    m_decision: 'Entscheidung',
    m_status: 'HTTP-Status',
    m_error_code: 'Fehlercode',
    m_endpoint: 'Schnittstelle',
    m_stream: 'Gestreamt',
    m_acknowledged: 'Menschliche Prüfung bestätigt',
    m_entities: 'Erkannte Daten in der Anfrage',
    m_answer_entities: 'Erkannte Daten in der Antwort',
    m_tokens: 'Token (Anfrage / Antwort)',
    m_latency: 'Dauer gesamt / davon KI-Dienst',
    m_policy: 'Richtlinie (Version)',
    m_digest: 'Prüfsumme der Richtlinie',
    m_chain: 'Prüfkette (Instanz / Nr.)',
    yes: 'ja',
    no: 'nein',
    none: 'keine',
    rules_title: 'Maßgebliche Regeln',
    rules_none: 'Keine Regel hat diese Entscheidung bestimmt.',
    r_effect: 'Wirkung',
    r_reference: 'Grundlage',
    r_explanation: 'Erläuterung',
    r_id: 'Regel-ID',
    e_allow: 'erlauben',
    e_deny: 'ablehnen',
    e_redact: 'maskieren',
    e_route: 'umleiten',
    e_require_acknowledgement: 'Bestätigung verlangen',
    e_warn: 'Hinweis',
    review_title: 'Maskierter Text der abgelehnten Anfrage',
    review_note: 'Personenbezogene Daten sind ersetzt. Der Text wird nur so lange aufbewahrt, wie die Richtlinie es erlaubt.',
    services_caption: 'KI-Dienste – Verwaltung „{0}“',
    services_none: 'Die Richtlinie nennt keine Dienste.',
    col_name: 'Dienst',
    col_provider: 'Anbieter',
    col_models: 'Modelle',
    col_location: 'Standort',
    col_policy: 'Freigabe in der Richtlinie',
    col_kill: 'Notabschaltung',
    col_action: 'Aktion',
    tb_eea: 'EWR',
    tb_adequacy: 'Angemessenheitsbeschluss',
    tb_scc: 'Standardvertragsklauseln',
    tb_none: 'keine Grundlage',
    svc_enabled: 'freigegeben',
    svc_disabled: 'nicht freigegeben',
    svc_off: 'abgeschaltet',
    svc_since: 'seit {0}',
    svc_on: 'nicht abgeschaltet',
    svc_switch_off: 'Abschalten',
    svc_switch_on: 'Wieder einschalten',
    svc_read_only: 'Sie haben Lesezugriff. Dienste abschalten können nur Datenschutzbeauftragte und Administration.',
    svc_can_switch: 'Mit „Abschalten“ sperren Sie einen Dienst sofort für alle Beschäftigten, unabhängig von der Richtlinie.',
    kill_title_off: 'Dienst „{0}“ abschalten',
    kill_title_on: 'Dienst „{0}“ wieder einschalten',
    kill_desc_off: 'Alle Anfragen an diesen Dienst werden sofort abgelehnt, bis er wieder eingeschaltet wird. Die Änderung wird protokolliert.',
    kill_desc_on: 'Anfragen an diesen Dienst werden wieder nach der Richtlinie behandelt. Die Änderung wird protokolliert.',
    kill_confirm: 'Zur Bestätigung den Namen des Dienstes eingeben: {0}',
    kill_reason: 'Grund (freiwillig)',
    kill_empty: 'Bitte geben Sie den Namen des Dienstes ein.',
    kill_done_off: 'Der Dienst „{0}“ ist jetzt abgeschaltet.',
    kill_done_on: 'Der Dienst „{0}“ ist wieder eingeschaltet.',
    cancel: 'Abbrechen',
    nav_rules: 'Regeln',
    nav_detections: 'Erkennungen',
    nav_audit: 'Prüfkette',
    nav_register: 'Register',
    nav_departments: 'Ämter',
    nav_alerts: 'Warnungen',
    nav_alerts_count: '{0} aktiv',
    period: 'Zeitraum: {0}',
    rules_intro: 'Die Regeln der Richtlinie, nach denen das Gateway entscheidet, und wie oft jede Regel im Quartal eine Entscheidung bestimmt hat.',
    versions_title: 'Versionen der Richtlinie',
    versions_caption: 'Versionen der Richtlinie, neueste zuerst',
    col_version: 'Version',
    col_loaded: 'erstmals geladen',
    col_state: 'Status',
    in_force: 'in Kraft',
    not_in_force: 'nicht mehr in Kraft',
    show_rules: 'Regeln anzeigen',
    show_rules_of: 'Regeln der Version {0} anzeigen',
    shown: 'angezeigt',
    rules_of: 'Regeln der Version {0}',
    rules_of_in_force: 'Regeln der Version {0} (in Kraft)',
    rules_count: '{0} Regeln.',
    rules_empty: 'Diese Version enthält keine Regeln.',
    r_category: 'Kategorie',
    r_in_words: 'Die Regel in Worten',
    r_requests: 'Entscheidungen im Quartal {0}',
    r_requests_short: 'Entscheidungen',
    r_derived: 'abgeleitet aus den Diensten',
    compare_title: 'Versionen vergleichen',
    compare_from: 'Ältere Version',
    compare_to: 'Neuere Version',
    compare_submit: 'Vergleichen',
    compare_same: 'Bitte wählen Sie zwei verschiedene Versionen.',
    compare_one: 'Es gibt erst eine Version der Richtlinie; ein Vergleich ist möglich, sobald eine geänderte Richtlinie geladen wurde.',
    diff_title: 'Änderungen von {0} nach {1}',
    diff_none: 'Keine Unterschiede in Regeln und Diensten.',
    diff_rules: 'Geänderte Regeln',
    diff_services: 'Geänderte Dienste',
    diff_found: '{0} Änderungen gefunden.',
    diff_found_1: 'Eine Änderung gefunden.',
    col_rule: 'Regel',
    col_change: 'Änderung',
    col_before: 'Vorher (ältere Version)',
    col_after: 'Nachher (neuere Version)',
    ch_added: 'hinzugefügt',
    ch_removed: 'entfernt',
    ch_changed: 'geändert',
    diff_legend: 'Im geänderten Text ist Entferntes durchgestrichen und als „entfernt“ markiert, Neues unterstrichen und als „neu“ markiert.',
    del_mark: 'entfernt:',
    ins_mark: 'neu:',
    detections_intro: 'Welche Arten personenbezogener Daten das Gateway in Anfragen und Antworten gefunden hat, ohne die Daten selbst.',
    det_caption: 'Erkannte Daten im Quartal {0}',
    det_none: 'Im Quartal wurden keine personenbezogenen Daten erkannt.',
    col_type: 'Art der Daten',
    col_special: 'Besondere Kategorie',
    col_items: 'Fundstellen',
    col_det_requests: 'Anfragen',
    col_answer_items: 'Fundstellen in Antworten',
    special_yes: 'ja, Art. 9 DSGVO',
    special_no: 'nein',
    det_chart_title: 'Fundstellen je Art der Daten',
    det_chart_desc: '{0} Arten; höchstens {1} Fundstellen. Die Tabelle enthält alle Werte.',
    audit_intro: 'Jede Entscheidung wird in eine Hash-Kette je Gateway-Instanz geschrieben; signierte Prüfpunkte machen nachträgliche Änderungen erkennbar.',
    audit_caption: 'Prüfketten je Gateway-Instanz',
    audit_none: 'Noch keine Einträge in der Prüfkette.',
    col_instance: 'Instanz',
    col_records: 'Einträge',
    col_newest_record: 'neuester Eintrag',
    col_checkpoints: 'Prüfpunkte',
    col_newest_checkpoint: 'neuester Prüfpunkt',
    verify_title: 'Letzte Prüfung',
    verify_never: 'Die Prüfkette wurde noch nie geprüft. Prüfen Sie sie mit „leitplanke audit verify --record“.',
    verify_old: 'Die letzte Prüfung ist {0} Tage her (empfohlen: monatlich).',
    v_at: 'Zeitpunkt',
    v_actor: 'Geprüft von',
    v_result: 'Ergebnis',
    v_records: 'Geprüfte Einträge',
    v_signatures: 'Signaturen geprüft',
    v_ok: 'in Ordnung',
    ops_title: 'Die letzten 90 Tage',
    o_retention: 'Löschläufe (Aufbewahrungsfristen)',
    o_reident: 'Re-Identifizierungen',
    o_spool: 'Einträge dieses Gateways im Zwischenspeicher (noch nicht in der Datenbank)',
    register_intro: 'Das KI-Register: ein Eintrag je Anwendungsfall und je KI-Dienst, wie es veröffentlicht wird.',
    register_none: 'Das Register hat keine Einträge.',
    kind_use_case: 'Anwendungsfall',
    kind_service: 'KI-Dienst',
    reg_missing: 'Fehlende Pflichtangaben',
    reg_missing_count: '{0} Pflichtangaben fehlen',
    reg_complete: 'vollständig',
    reg_empty: 'keine Angabe',
    reg_missing_field: 'fehlt (Pflichtangabe)',
    reg_expand: 'Alle aufklappen',
    reg_collapse: 'Alle zuklappen',
    departments_intro: 'Anfragen, aktive Beschäftigte und geschätzte Kosten je Amt im Quartal, verglichen mit dem Budget der Richtlinie.',
    dep_caption: 'Ämter im Quartal {0}',
    dep_none: 'Keine Ämter mit Anfragen im Quartal.',
    col_active_staff: 'aktive Beschäftigte',
    col_cost: 'Kosten',
    col_budget: 'Budget',
    col_share: 'Anteil am Budget',
    no_budget: 'kein Budget',
    over_budget: 'über dem Budget',
    alerts_intro: 'Aktuelle Warnungen: gehäufte Ablehnungen, gesendete Zugangsdaten, Geheimnisse in Antworten, abgeschaltete Dienste, eine lange nicht geprüfte Prüfkette.',
    alerts_none: 'Keine aktuellen Warnungen.',
    alerts_as_of: 'Stand {0}',
    alerts_caption: '{0} Warnungen',
    sev_critical: 'Kritisch',
    sev_warning: 'Warnung',
    sev_info: 'Hinweis',
  },
  en: {
    doc_title: 'leitplanke – oversight',
    skip: 'Skip to content',
    app_sub: 'Oversight of AI use',
    lang_switch: 'Deutsch',
    logout: 'Log out',
    nav_label: 'Main navigation',
    nav_overview: 'Overview',
    nav_decisions: 'Decisions',
    nav_services: 'Services',
    role_line: 'Logged in as: {0}',
    role_dpo: 'data protection officer',
    role_admin: 'administration',
    role_council: 'staff council (read only)',
    login_title: 'Log in',
    login_intro: 'For the data protection officer, administration and the staff council. Log in with your API key.',
    login_key: 'API key',
    login_submit: 'Log in',
    login_empty: 'Please enter your API key.',
    login_ok: 'Logged in.',
    logged_out: 'You are logged out.',
    session_expired: 'Your session has expired. Please log in again.',
    network_error: 'The server cannot be reached.',
    http_error: 'Error {0}.',
    loading: 'Loading …',
    window_label: 'Period',
    window_24h: '24 hours',
    window_7d: '7 days',
    window_quarter: 'Quarter',
    updated: 'last updated {0}',
    range: 'Period: {0} to {1}',
    fig_requests: 'Requests',
    fig_allowed: 'allowed',
    fig_redacted: 'masked',
    fig_blocked: 'refused',
    fig_error: 'failed',
    fig_requests_help: 'all requests to AI services',
    fig_allowed_help: 'passed on unchanged',
    fig_redacted_help: 'personal data removed before sending',
    fig_blocked_help: 'refused by the rules',
    fig_error_help: 'the AI service could not be reached or reported an error',
    suppressed: 'hidden',
    suppressed_title: 'Hidden: this figure concerns fewer than {0} people.',
    k_note: '“–” means: hidden because fewer than {0} people are behind it. This protects individual staff.',
    chart_title: 'Over time',
    chart_desc_hour: 'Requests and refused requests per hour',
    chart_desc_day: 'Requests and refused requests per day',
    chart_summary: '{0}, {1} points; at most {2} requests. The table below the chart has all values.',
    chart_empty: 'No data in this period.',
    chart_table: 'Values as a table',
    col_time: 'Time',
    col_requests: 'Requests',
    col_blocked: 'refused',
    col_redacted: 'masked',
    legend_requests: 'Requests (solid bars)',
    legend_blocked: 'of which refused (hatched)',
    decisions_intro: 'Every request is recorded as a decision: without the text of the request and without details of staff.',
    f_department: 'Department',
    f_service: 'Service',
    f_decision: 'Decision',
    f_all: 'all',
    f_rule: 'Rule (ID)',
    f_from: 'from',
    f_to: 'to',
    filter_submit: 'Show',
    filter_reset: 'Reset',
    load_more: 'Load more',
    d_allowed: 'allowed',
    d_redacted: 'masked',
    d_blocked: 'refused',
    d_error: 'error',
    decisions_caption: 'Decisions, newest first ({0} shown)',
    decisions_none: 'No decisions for this selection.',
    decisions_found: '{0} decisions shown.',
    decisions_more_loaded: '{0} more loaded.',
    col_ts: 'Time',
    col_department: 'Department',
    col_service: 'Service',
    col_model: 'Model',
    col_decision: 'Decision',
    col_rules: 'Rules',
    col_entities: 'Detected data',
    open_decision: 'Open the decision of {0}',
    back_to_list: '← Back to the list',
    decision_title: 'Decision',
    decision_title_at: 'Decision of {0}',
    meta_title: 'Details',
    m_record_id: 'Record ID',
    m_ts: 'Time',
    m_tenant: 'Administration (tenant)',
    m_department: 'Department',
    m_service: 'Service',
    m_model: 'Model',
    m_routed_to: 'Routed to',
    m_purpose: 'Use case',
    m_decision: 'Decision',
    m_status: 'HTTP status',
    m_error_code: 'Error code',
    m_endpoint: 'Endpoint',
    m_stream: 'Streamed',
    m_acknowledged: 'Human review confirmed',
    m_entities: 'Detected data in the request',
    m_answer_entities: 'Detected data in the answer',
    m_tokens: 'Tokens (request / answer)',
    m_latency: 'Total time / of which AI service',
    m_policy: 'Policy (version)',
    m_digest: 'Policy checksum',
    m_chain: 'Audit chain (instance / no.)',
    yes: 'yes',
    no: 'no',
    none: 'none',
    rules_title: 'Determining rules',
    rules_none: 'No rule determined this decision.',
    r_effect: 'Effect',
    r_reference: 'Basis',
    r_explanation: 'Explanation',
    r_id: 'Rule ID',
    e_allow: 'allow',
    e_deny: 'refuse',
    e_redact: 'mask',
    e_route: 'route',
    e_require_acknowledgement: 'require confirmation',
    e_warn: 'notice',
    review_title: 'Redacted text of the refused request',
    review_note: 'Personal data has been replaced. The text is kept only as long as the policy allows.',
    services_caption: 'AI services – administration “{0}”',
    services_none: 'The policy names no services.',
    col_name: 'Service',
    col_provider: 'Provider',
    col_models: 'Models',
    col_location: 'Location',
    col_policy: 'Approved in the policy',
    col_kill: 'Kill switch',
    col_action: 'Action',
    tb_eea: 'EEA',
    tb_adequacy: 'adequacy decision',
    tb_scc: 'standard contractual clauses',
    tb_none: 'no basis',
    svc_enabled: 'approved',
    svc_disabled: 'not approved',
    svc_off: 'switched off',
    svc_since: 'since {0}',
    svc_on: 'not switched off',
    svc_switch_off: 'Switch off',
    svc_switch_on: 'Switch on again',
    svc_read_only: 'You have read access. Only the data protection officer and administration can switch services off.',
    svc_can_switch: '“Switch off” blocks a service for all staff at once, regardless of the policy.',
    kill_title_off: 'Switch off the service “{0}”',
    kill_title_on: 'Switch the service “{0}” on again',
    kill_desc_off: 'All requests to this service are refused at once until it is switched on again. The change is recorded.',
    kill_desc_on: 'Requests to this service are handled by the policy again. The change is recorded.',
    kill_confirm: 'To confirm, type the name of the service: {0}',
    kill_reason: 'Reason (optional)',
    kill_empty: 'Please type the name of the service.',
    kill_done_off: 'The service “{0}” is now switched off.',
    kill_done_on: 'The service “{0}” is switched on again.',
    cancel: 'Cancel',
    nav_rules: 'Rules',
    nav_detections: 'Detections',
    nav_audit: 'Audit chain',
    nav_register: 'Register',
    nav_departments: 'Departments',
    nav_alerts: 'Alerts',
    nav_alerts_count: '{0} active',
    period: 'Period: {0}',
    rules_intro: 'The rules of the policy the gateway decides by, and how often each rule determined a decision in the quarter.',
    versions_title: 'Policy versions',
    versions_caption: 'Policy versions, newest first',
    col_version: 'Version',
    col_loaded: 'first loaded',
    col_state: 'State',
    in_force: 'in force',
    not_in_force: 'no longer in force',
    show_rules: 'Show rules',
    show_rules_of: 'Show the rules of version {0}',
    shown: 'shown',
    rules_of: 'Rules of version {0}',
    rules_of_in_force: 'Rules of version {0} (in force)',
    rules_count: '{0} rules.',
    rules_empty: 'This version has no rules.',
    r_category: 'Category',
    r_in_words: 'The rule in words',
    r_requests: 'Decisions in the quarter {0}',
    r_requests_short: 'Decisions',
    r_derived: 'derived from the services',
    compare_title: 'Compare versions',
    compare_from: 'Older version',
    compare_to: 'Newer version',
    compare_submit: 'Compare',
    compare_same: 'Please choose two different versions.',
    compare_one: 'There is only one version of the policy so far; a comparison is possible once a changed policy has been loaded.',
    diff_title: 'Changes from {0} to {1}',
    diff_none: 'No differences in rules and services.',
    diff_rules: 'Changed rules',
    diff_services: 'Changed services',
    diff_found: '{0} changes found.',
    diff_found_1: 'One change found.',
    col_rule: 'Rule',
    col_change: 'Change',
    col_before: 'Before (older version)',
    col_after: 'After (newer version)',
    ch_added: 'added',
    ch_removed: 'removed',
    ch_changed: 'changed',
    diff_legend: 'In changed text, what was removed is struck through and marked “removed”, what is new is underlined and marked “new”.',
    del_mark: 'removed:',
    ins_mark: 'new:',
    detections_intro: 'Which kinds of personal data the gateway found in requests and answers, without the data itself.',
    det_caption: 'Detected data in the quarter {0}',
    det_none: 'No personal data was detected in the quarter.',
    col_type: 'Kind of data',
    col_special: 'Special category',
    col_items: 'Items',
    col_det_requests: 'Requests',
    col_answer_items: 'Items in answers',
    special_yes: 'yes, Art. 9 GDPR',
    special_no: 'no',
    det_chart_title: 'Items per kind of data',
    det_chart_desc: '{0} kinds; at most {1} items. The table has all values.',
    audit_intro: 'Every decision is written into a hash chain per gateway instance; signed checkpoints make later changes detectable.',
    audit_caption: 'Audit chains per gateway instance',
    audit_none: 'No entries in the audit chain yet.',
    col_instance: 'Instance',
    col_records: 'Records',
    col_newest_record: 'newest record',
    col_checkpoints: 'Checkpoints',
    col_newest_checkpoint: 'newest checkpoint',
    verify_title: 'Last verification',
    verify_never: 'The audit chain has never been verified. Verify it with “leitplanke audit verify --record”.',
    verify_old: 'The last verification was {0} days ago (recommended: monthly).',
    v_at: 'Time',
    v_actor: 'Verified by',
    v_result: 'Result',
    v_records: 'Records verified',
    v_signatures: 'Signatures checked',
    v_ok: 'in order',
    ops_title: 'The last 90 days',
    o_retention: 'Retention runs',
    o_reident: 'Re-identifications',
    o_spool: 'Records of this gateway in its spool (not yet in the database)',
    register_intro: 'The AI register: one entry per use case and per AI service, as it is published.',
    register_none: 'The register has no entries.',
    kind_use_case: 'Use case',
    kind_service: 'AI service',
    reg_missing: 'Missing required fields',
    reg_missing_count: '{0} required fields missing',
    reg_complete: 'complete',
    reg_empty: 'not stated',
    reg_missing_field: 'missing (required)',
    reg_expand: 'Expand all',
    reg_collapse: 'Collapse all',
    departments_intro: 'Requests, active staff and estimated cost per department in the quarter, compared with the policy\'s budget.',
    dep_caption: 'Departments in the quarter {0}',
    dep_none: 'No departments with requests in the quarter.',
    col_active_staff: 'active staff',
    col_cost: 'Cost',
    col_budget: 'Budget',
    col_share: 'Share of the budget',
    no_budget: 'no budget',
    over_budget: 'over budget',
    alerts_intro: 'Current alerts: refusal spikes, credentials sent, secrets in answers, services switched off, an audit chain not verified for long.',
    alerts_none: 'No current alerts.',
    alerts_as_of: 'As of {0}',
    alerts_caption: '{0} alerts',
    sev_critical: 'Critical',
    sev_warning: 'Warning',
    sev_info: 'Notice',
  },
};

// ---------------------------------------------------------------------------
// State

const state = {
  lang: initialLang(),
  session: null,          // {role, csrf_token, expires_at, lang, department}
  view: null,             // 'login' | 'overview' | 'decisions' | 'decision' | 'services'
  window: '24h',
  overview: null,
  overviewUpdated: null,
  pollTimer: null,
  overviewSeq: 0,
  decisions: null,        // {filters, rows, next}
  decision: null,
  services: null,
  kill: null,             // {service, off, opener}
  rules: null,            // GET /rules (+ shownDigest, inForce)
  diff: null,             // GET /rules/diff
  detections: null,
  audit: null,
  register: null,
  departments: null,
  alerts: null,           // GET /alerts, also for the badge in the navigation
};

function initialLang() {
  try {
    const v = localStorage.getItem(LANG_KEY);
    if (v === 'de' || v === 'en') return v;
  } catch { /* storage disabled */ }
  return 'de';
}

function t(key, ...args) {
  const s = TEXT[state.lang][key] ?? TEXT.de[key] ?? key;
  return s.replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)] ?? ''));
}

const $ = (id) => document.getElementById(id);

// Element builder: h('td', {class: 'x', scope: 'row'}, 'text', child, …). Strings become
// text nodes; null/undefined/false children are skipped.
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

// ---------------------------------------------------------------------------
// Formatting

function locale() { return state.lang === 'de' ? 'de-DE' : 'en-GB'; }

function fmtNumber(n) {
  return new Intl.NumberFormat(locale()).format(n);
}

function fmtDateTime(iso, { seconds = true } = {}) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(locale(), {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    second: seconds ? '2-digit' : undefined,
  }).format(d);
}

function fmtTime(d) {
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(d);
}

function fmtTick(iso, hourly) {
  const d = new Date(iso);
  if (hourly) return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  return new Intl.DateTimeFormat(locale(), { day: '2-digit', month: '2-digit' }).format(d);
}

function fmtEntities(counts) {
  const entries = Object.entries(counts || {}).filter(([, n]) => n > 0);
  if (!entries.length) return '';
  return entries.map(([type, n]) => `${type} ${n}`).join(', ');
}

function decisionLabel(d) { return TEXT[state.lang][`d_${d}`] ? t(`d_${d}`) : String(d ?? ''); }
function effectLabel(e) { return TEXT[state.lang][`e_${e}`] ? t(`e_${e}`) : String(e ?? ''); }

// A decision as text plus a symbol, so it never depends on colour.
function decisionBadge(d) {
  const sym = { allowed: '✓', redacted: '◐', blocked: '✕', error: '!' }[d] || '•';
  return h('span', { class: `badge badge-${d}` }, h('span', { 'aria-hidden': 'true', class: 'badge-sym' }, sym), ' ', decisionLabel(d));
}

// ---------------------------------------------------------------------------
// API

class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(method, path, { body, query, noAuthRedirect = false } = {}) {
  let url = API + path;
  if (query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, v);
    const q = qs.toString();
    if (q) url += `?${q}`;
  }
  const headers = { Accept: 'application/json', 'Accept-Language': state.lang };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.session?.csrf_token) headers['X-CSRF-Token'] = state.session.csrf_token;
  let res;
  try {
    res = await fetch(url, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, t('network_error'));
  }
  let data = null;
  if (res.status !== 204) {
    const text = await res.text();
    if (text) { try { data = JSON.parse(text); } catch { /* not JSON */ } }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data?.error?.message || t('http_error', res.status), data?.error?.code);
    if (res.status === 401 && !noAuthRedirect) {
      sessionLost();
    }
    throw err;
  }
  return data;
}

// ---------------------------------------------------------------------------
// Language

function applyLang() {
  document.documentElement.lang = state.lang;
  document.title = viewTitle();
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  const toggle = $('lang-toggle');
  toggle.textContent = t('lang_switch');
  toggle.lang = state.lang === 'de' ? 'en' : 'de';
  renderRole();
}

function viewTitle() {
  const names = {
    overview: 'nav_overview', decisions: 'nav_decisions', decision: 'decision_title', services: 'nav_services', login: 'login_title',
    rules: 'nav_rules', detections: 'nav_detections', audit: 'nav_audit', register: 'nav_register', departments: 'nav_departments', alerts: 'nav_alerts',
  };
  return state.view ? `${t(names[state.view])} – ${t('doc_title')}` : t('doc_title');
}

function switchLang() {
  state.lang = state.lang === 'de' ? 'en' : 'de';
  try { localStorage.setItem(LANG_KEY, state.lang); } catch { /* storage disabled */ }
  applyLang();
  // Redraw what is shown from the data already loaded.
  if (state.view === 'overview' && state.overview) renderOverview();
  if (state.view === 'decisions' && state.decisions) renderDecisions();
  if (state.view === 'decision' && state.decision) renderDecision();
  if (state.view === 'services' && state.services) renderServices();
  if (state.view === 'rules' && state.rules) { renderRules(); renderDiff(); }
  if (state.view === 'detections' && state.detections) renderDetections();
  if (state.view === 'audit' && state.audit) renderAudit();
  if (state.view === 'register' && state.register) renderRegister();
  if (state.view === 'departments' && state.departments) renderDepartments();
  if (state.view === 'alerts' && state.alerts) renderAlerts();
  if (state.alerts) renderAlertBadge();
  if (state.kill && $('kill-dialog').open) fillKillDialog();
}

// ---------------------------------------------------------------------------
// Status messages (the live region under the header)

let statusTimer = null;
function announce(msg) {
  const el = $('status');
  el.textContent = msg;
  clearTimeout(statusTimer);
  if (msg) statusTimer = setTimeout(() => { el.textContent = ''; }, 8000);
}

// ---------------------------------------------------------------------------
// Session

function renderRole() {
  const el = $('role');
  if (!state.session) { el.hidden = true; el.textContent = ''; return; }
  el.textContent = t('role_line', t(`role_${state.session.role}`));
  el.hidden = false;
}

function canSwitch() { return state.session && (state.session.role === 'dpo' || state.session.role === 'admin'); }

function sessionLost() {
  const had = state.session !== null;
  state.session = null;
  showLogin(had ? t('session_expired') : '');
}

function resetData() {
  state.overview = null;
  state.decisions = null;
  state.decision = null;
  state.services = null;
  for (const key of ['rules', 'diff', 'detections', 'audit', 'register', 'departments', 'alerts']) state[key] = null;
  for (const id of ['rules-versions', 'rules-body', 'diff-body', 'detections-body', 'audit-body', 'register-body', 'departments-body', 'alerts-body']) clear($(id));
  $('nav-alerts-count').hidden = true;
  clear($('decisions-table'));
  clear($('decision-body'));
  clear($('services-tables'));
  clear($('overview-figures'));
  clear($('overview-chart'));
  $('filter-form').reset();
}

function showLogin(message = '') {
  state.view = 'login';
  stopPolling();
  if ($('kill-dialog').open) $('kill-dialog').close();
  resetData();
  $('nav').hidden = true;
  $('logout').hidden = true;
  renderRole();
  showSection('view-login');
  $('login-key').value = '';
  $('login-error').textContent = message;
  document.title = viewTitle();
}

async function onLogin(ev) {
  ev.preventDefault();
  const input = $('login-key');
  const key = input.value.trim();
  const err = $('login-error');
  err.textContent = '';
  if (!key) { err.textContent = t('login_empty'); input.focus(); return; }
  const button = ev.target.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const session = await api('POST', '/session', { body: { key, lang: state.lang }, noAuthRedirect: true });
    input.value = '';
    state.session = session;
    announce(t('login_ok'));
    enterApp();
  } catch (e) {
    err.textContent = e.message;
    input.focus();
  } finally {
    button.disabled = false;
  }
}

async function onLogout() {
  try {
    await api('DELETE', '/session', { noAuthRedirect: true });
  } catch { /* the session is gone either way */ }
  state.session = null;
  history.replaceState(null, '', location.pathname + location.search);
  showLogin();
  announce(t('logged_out'));
  $('login-key').focus();
}

function enterApp() {
  $('nav').hidden = false;
  $('logout').hidden = false;
  renderRole();
  if (!location.hash || location.hash === '#' || location.hash === '#main') {
    history.replaceState(null, '', '#overview');
  }
  route({ focus: true });
  startPolling();
  if (state.view !== 'alerts') loadAlerts();
}

// ---------------------------------------------------------------------------
// Routing

function showSection(id) {
  for (const sec of document.querySelectorAll('main > section.view')) sec.hidden = sec.id !== id;
}

function route({ focus = true } = {}) {
  if (!state.session) return;
  const hash = decodeURIComponent(location.hash.replace(/^#/, ''));
  let view = 'overview';
  let arg = null;
  if (hash === 'decisions') view = 'decisions';
  else if (hash.startsWith('decisions/')) { view = 'decision'; arg = hash.slice('decisions/'.length); }
  else if (hash === 'services') view = 'services';
  else if (VIEWS.includes(hash)) view = hash;
  if (state.view !== view) announce('');
  state.view = view;
  document.title = viewTitle();

  const navView = view === 'decision' ? 'decisions' : view;
  for (const a of document.querySelectorAll('#nav a[data-view]')) {
    if (a.dataset.view === navView) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const section = `view-${view}`;
  showSection(section);
  if (focus) document.querySelector(`#${section} h1`).focus();

  if (view === 'overview') openOverview();
  else if (view === 'decisions') openDecisions();
  else if (view === 'decision') openDecision(arg);
  else if (view === 'services') openServices();
  else if (view === 'rules') openRules();
  else if (view === 'detections') openDetections();
  else if (view === 'audit') openAudit();
  else if (view === 'register') openRegister();
  else if (view === 'departments') openDepartments();
  else if (view === 'alerts') openAlerts();
}

const VIEWS = ['rules', 'detections', 'audit', 'register', 'departments', 'alerts'];

// ---------------------------------------------------------------------------
// Übersicht

const FIGURES = ['requests', 'allowed', 'redacted', 'blocked', 'error'];

function openOverview() {
  renderWindowSwitch();
  if (state.overview) renderOverview();
  loadOverview();
}

// Every 15 s while logged in: the overview when it is shown, the alerts (the badge in the
// navigation) always.
function startPolling() {
  stopPolling();
  state.pollTimer = setInterval(() => {
    if (document.hidden || !state.session) return;
    if (state.view === 'overview') loadOverview();
    loadAlerts();
  }, POLL_MS);
}

function stopPolling() {
  if (state.pollTimer) clearInterval(state.pollTimer);
  state.pollTimer = null;
}

function renderWindowSwitch() {
  for (const b of document.querySelectorAll('#window-switch button')) {
    b.setAttribute('aria-pressed', String(b.dataset.window === state.window));
  }
}

async function loadOverview() {
  const seq = ++state.overviewSeq;
  const err = $('overview-error');
  try {
    const data = await api('GET', '/overview', { query: { window: state.window } });
    if (seq !== state.overviewSeq || state.view !== 'overview') return;
    state.overview = data;
    state.overviewUpdated = new Date();
    err.textContent = '';
    renderOverview();
  } catch (e) {
    if (seq !== state.overviewSeq || e.status === 401) return;
    err.textContent = e.message;
  }
}

function figureText(f) {
  if (!f || f.suppressed || f.value === null || f.value === undefined) return null;
  return fmtNumber(f.value);
}

function renderOverview() {
  const o = state.overview;
  const k = o.k ?? 5;
  $('overview-updated').textContent = state.overviewUpdated ? t('updated', fmtTime(state.overviewUpdated)) : '';
  $('overview-range').textContent = o.from && o.to ? t('range', fmtDateTime(o.from, { seconds: false }), fmtDateTime(o.to, { seconds: false })) : '';
  const list = clear($('overview-figures'));
  let anySuppressed = false;
  for (const name of FIGURES) {
    const text = figureText(o[name]);
    let value;
    if (text === null) {
      anySuppressed = true;
      value = h('p', { class: 'figure-value suppressed', title: t('suppressed_title', k) },
        h('span', { 'aria-hidden': 'true' }, '–'),
        h('span', { class: 'visually-hidden' }, t('suppressed_title', k)));
    } else {
      value = h('p', { class: 'figure-value' }, text);
    }
    list.append(h('li', { class: `figure figure-${name}` },
      h('p', { class: 'figure-label', id: `fig-${name}` }, t(`fig_${name}`)),
      value,
      h('p', { class: 'figure-help' }, t(`fig_${name}_help`))));
  }
  $('overview-k').textContent = anySuppressed || (o.series || []).some((p) => p.requests?.suppressed) ? t('k_note', k) : '';
  renderChart(o);
}

// Bars of requests per hour/day with the refused ones hatched in front of them; <title>/<desc>
// for screen readers and a table of all values under the chart.
function renderChart(o) {
  const box = clear($('overview-chart'));
  const series = o.series || [];
  const hourly = (o.window || state.window) === '24h';
  if (!series.length) { box.append(h('p', { class: 'muted' }, t('chart_empty'))); return; }
  const val = (f) => (f && !f.suppressed && typeof f.value === 'number' ? f.value : null);
  const req = series.map((p) => val(p.requests));
  const blk = series.map((p) => val(p.blocked));
  const max = niceMax(Math.max(1, ...req.filter((v) => v !== null), ...blk.filter((v) => v !== null)));

  const W = 760; const H = 240; const L = 52; const R = 10; const T = 12; const B = 36;
  const iw = W - L - R; const ih = H - T - B;
  const step = iw / series.length;
  const bw = Math.max(1, Math.min(28, step * 0.72));
  const y = (v) => T + ih - (v / max) * ih;
  const desc = t(hourly ? 'chart_desc_hour' : 'chart_desc_day');

  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'chart-svg', role: 'img',
    'aria-labelledby': 'chart-svg-title chart-svg-desc', preserveAspectRatio: 'xMinYMid meet',
  });
  svg.append(
    s('title', { id: 'chart-svg-title' }, desc),
    s('desc', { id: 'chart-svg-desc' }, t('chart_summary', desc, series.length, fmtNumber(max))),
    s('defs', {}, s('pattern', { id: 'hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      s('rect', { width: 6, height: 6, class: 'hatch-bg' }),
      s('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch-line' }))),
  );
  // grid and y labels
  for (const v of Number.isInteger(max / 2) ? [0, max / 2, max] : [0, max]) {
    svg.append(s('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }));
    svg.append(s('text', { x: L - 6, y: y(v) + 4, class: 'axis-label', 'text-anchor': 'end' }, fmtNumber(v)));
  }
  const every = Math.max(1, Math.ceil(series.length / 8));
  series.forEach((p, i) => {
    const cx = L + step * i + step / 2;
    const x = cx - bw / 2;
    if (req[i] !== null) {
      svg.append(s('rect', { x, y: y(req[i]), width: bw, height: Math.max(0, T + ih - y(req[i])), class: 'bar-requests' }));
    } else if (p.requests?.suppressed) {
      svg.append(s('text', { x: cx, y: T + ih - 4, class: 'axis-label', 'text-anchor': 'middle' }, '–'));
    }
    if (blk[i] !== null && blk[i] > 0) {
      svg.append(s('rect', { x, y: y(blk[i]), width: bw, height: Math.max(0, T + ih - y(blk[i])), class: 'bar-blocked' }));
    }
    if (i % every === 0) {
      svg.append(s('text', { x: cx, y: H - B + 18, class: 'axis-label', 'text-anchor': 'middle' }, fmtTick(p.t, hourly)));
    }
  });
  svg.append(s('line', { x1: L, x2: W - R, y1: T + ih, y2: T + ih, class: 'axis' }));

  const legend = h('ul', { class: 'legend' },
    h('li', {}, h('span', { class: 'swatch swatch-requests', 'aria-hidden': 'true' }), t('legend_requests')),
    h('li', {}, h('span', { class: 'swatch swatch-blocked', 'aria-hidden': 'true' }), t('legend_blocked')));

  const cell = (f) => {
    const v = figureText(f);
    return v === null ? h('td', { title: t('suppressed_title', o.k ?? 5) }, h('span', { 'aria-hidden': 'true' }, '–'), h('span', { class: 'visually-hidden' }, t('suppressed'))) : h('td', {}, v);
  };
  const table = h('table', { class: 'data compact' },
    h('caption', {}, desc),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('col_time')), h('th', { scope: 'col' }, t('col_requests')),
      h('th', { scope: 'col' }, t('col_redacted')), h('th', { scope: 'col' }, t('col_blocked')))),
    h('tbody', {}, series.map((p) => h('tr', {},
      h('th', { scope: 'row' }, hourly ? fmtDateTime(p.t, { seconds: false }) : fmtTick(p.t, false)),
      cell(p.requests), cell(p.redacted), cell(p.blocked)))));
  const details = h('details', { class: 'chart-table' }, h('summary', {}, t('chart_table')), h('div', { class: 'table-wrap' }, table));
  // keep the table open across polls
  const wasOpen = box.dataset.tableOpen === '1';
  details.open = wasOpen;
  details.addEventListener('toggle', () => { box.dataset.tableOpen = details.open ? '1' : '0'; });
  box.append(svg, legend, details);
}

// The smallest of 1, 2, 3, 4, 5, 6, 8, 10 × 10^n that is at least v.
function niceMax(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

// ---------------------------------------------------------------------------
// Entscheidungen

function openDecisions() {
  loadServiceNames();
  if (state.decisions) renderDecisions();
  else loadDecisions({});
}

function readFilters() {
  const f = new FormData($('filter-form'));
  const toIso = (v) => {
    if (!v) return undefined;
    const d = new Date(v); // datetime-local: local time
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  };
  return {
    department: f.get('department')?.trim() || undefined,
    service: f.get('service')?.trim() || undefined,
    decision: f.get('decision') || undefined,
    rule: f.get('rule')?.trim() || undefined,
    from: toIso(f.get('from')),
    to: toIso(f.get('to')),
  };
}

async function loadDecisions(filters, { more = false } = {}) {
  const err = $('decisions-error');
  err.textContent = '';
  const query = { ...filters, limit: PAGE_SIZE };
  if (more) query.before = state.decisions.next;
  const moreButton = $('decisions-more');
  moreButton.disabled = true;
  if (!more) $('decisions-table').setAttribute('aria-busy', 'true');
  try {
    const data = await api('GET', '/decisions', { query });
    const rows = data.decisions || [];
    if (more) {
      state.decisions.rows.push(...rows);
      state.decisions.next = data.next ?? null;
    } else {
      state.decisions = { filters, rows, next: data.next ?? null };
    }
    if (state.view !== 'decisions') return;
    renderDecisions();
    announce(more ? t('decisions_more_loaded', rows.length)
      : rows.length ? t('decisions_found', rows.length) : t('decisions_none'));
  } catch (e) {
    if (e.status !== 401) err.textContent = e.message;
  } finally {
    moreButton.disabled = false;
    $('decisions-table').removeAttribute('aria-busy');
  }
}

function renderDecisions() {
  const { rows, next } = state.decisions;
  const box = clear($('decisions-table'));
  $('decisions-more').hidden = !next;
  // departments seen so far help filling in the filter
  const dl = clear($('dl-departments'));
  for (const d of [...new Set(rows.map((r) => r.department).filter(Boolean))].sort()) dl.append(h('option', { value: d }));
  if (!rows.length) { box.append(h('p', { class: 'muted' }, t('decisions_none'))); return; }
  const table = h('table', { class: 'data', id: 'decisions' },
    h('caption', {}, t('decisions_caption', rows.length)),
    h('thead', {}, h('tr', {}, ['col_ts', 'col_department', 'col_service', 'col_model', 'col_decision', 'col_rules', 'col_entities']
      .map((c) => h('th', { scope: 'col' }, t(c))))),
    h('tbody', {}, rows.map((r) => {
      const href = `#decisions/${encodeURIComponent(r.record_id)}`;
      const when = fmtDateTime(r.ts);
      const tr = h('tr', { class: 'clickable', 'data-record': r.record_id },
        h('th', { scope: 'row' }, h('a', { href, 'aria-label': t('open_decision', when) }, when)),
        h('td', {}, r.department || ''),
        h('td', {}, r.service || ''),
        h('td', {}, r.model || ''),
        h('td', {}, decisionBadge(r.decision)),
        h('td', { class: 'ids' }, (r.rule_ids || []).join(', ')),
        h('td', {}, fmtEntities(r.entity_counts)));
      tr.addEventListener('click', (ev) => {
        if (ev.target.closest('a') || window.getSelection()?.toString()) return;
        location.hash = href;
      });
      return tr;
    })));
  box.append(h('div', { class: 'table-wrap' }, table));
}

let serviceNamesLoaded = false;
async function loadServiceNames() {
  if (serviceNamesLoaded) return;
  try {
    const data = state.services || await api('GET', '/services');
    state.services = state.services || data;
    const dl = clear($('dl-services'));
    for (const n of [...new Set((data.services || []).map((x) => x.name))].sort()) dl.append(h('option', { value: n }));
    serviceNamesLoaded = true;
  } catch { /* only a convenience */ }
}

// ---------------------------------------------------------------------------
// Eine Entscheidung

async function openDecision(id) {
  const body = clear($('decision-body'));
  $('decision-error').textContent = '';
  $('decision-title').textContent = t('decision_title');
  state.decision = null;
  body.append(h('p', { class: 'muted' }, t('loading')));
  try {
    const d = await api('GET', `/decisions/${encodeURIComponent(id)}`);
    if (state.view !== 'decision') return;
    state.decision = d;
    renderDecision();
  } catch (e) {
    clear(body);
    if (e.status !== 401) $('decision-error').textContent = e.message;
  }
}

function renderDecision() {
  const d = state.decision;
  $('decision-title').textContent = t('decision_title_at', fmtDateTime(d.ts));
  const body = clear($('decision-body'));
  const yn = (v) => (v === undefined || v === null ? null : v ? t('yes') : t('no'));
  const num = (v) => (v === undefined || v === null ? '–' : fmtNumber(v));
  const ms = (v) => (v === undefined || v === null ? '–' : `${fmtNumber(Math.round(v))} ms`);
  const rows = [
    ['m_ts', fmtDateTime(d.ts)],
    ['m_decision', decisionBadge(d.decision)],
    ['m_tenant', d.tenant],
    ['m_department', d.department],
    ['m_service', d.service],
    ['m_model', d.model],
    ['m_routed_to', d.routed_to && d.routed_to !== d.model ? d.routed_to : null],
    ['m_purpose', d.purpose],
    ['m_acknowledged', yn(d.acknowledged)],
    ['m_entities', fmtEntities(d.entity_counts) || t('none')],
    ['m_answer_entities', d.answer_entity_counts && (d.decision === 'allowed' || d.decision === 'redacted')
      ? fmtEntities(d.answer_entity_counts) || t('none') : null],
    ['m_endpoint', d.endpoint],
    ['m_stream', yn(d.stream)],
    ['m_status', d.status],
    ['m_error_code', d.error_code],
    ['m_tokens', d.prompt_tokens != null || d.completion_tokens != null ? `${num(d.prompt_tokens)} / ${num(d.completion_tokens)}` : null],
    ['m_latency', d.latency_ms != null ? `${ms(d.latency_ms)} / ${ms(d.upstream_ms)}` : null],
    ['m_policy', d.policy_version],
    ['m_digest', d.policy_digest ? h('code', { class: 'ids' }, d.policy_digest) : null],
    ['m_chain', d.instance || d.seq != null ? `${d.instance ?? '–'} / ${d.seq ?? '–'}` : null],
    ['m_record_id', d.record_id ? h('code', { class: 'ids' }, d.record_id) : null],
  ];
  const dl = h('dl', { class: 'meta' });
  for (const [k, v] of rows) {
    if (v === undefined || v === null || v === '') continue;
    dl.append(h('dt', {}, t(k)), h('dd', {}, v));
  }

  const rules = d.rules || [];
  const rulesSection = h('section', { 'aria-labelledby': 'rules-title', class: 'rules' },
    h('h2', { id: 'rules-title' }, t('rules_title')),
    rules.length ? h('ul', { class: 'rule-list' }, rules.map((r) => h('li', { class: 'rule' },
      h('h3', {}, r.title || r.id),
      h('dl', { class: 'meta' },
        h('dt', {}, t('r_effect')), h('dd', {}, effectLabel(r.effect)),
        r.reference ? [h('dt', {}, t('r_reference')), h('dd', {}, r.reference)] : null,
        h('dt', {}, t('r_id')), h('dd', {}, h('code', { class: 'ids' }, r.id)),
        r.explanation ? [h('dt', {}, t('r_explanation')), h('dd', { class: 'explanation' }, r.explanation)] : null))))
      : h('p', { class: 'muted' }, t('rules_none')));

  let review = null;
  if (typeof d.review_text === 'string' && d.review_text !== '') {
    review = h('section', { 'aria-labelledby': 'review-title', class: 'review' },
      h('h2', { id: 'review-title' }, t('review_title')),
      h('p', { class: 'muted small' }, t('review_note')),
      h('pre', { class: 'review-text' }, d.review_text));
  }
  append(body, [
    h('section', { 'aria-labelledby': 'meta-title' }, h('h2', { id: 'meta-title' }, t('meta_title')), dl),
    rulesSection,
    review]);
}

// ---------------------------------------------------------------------------
// Dienste

async function openServices() {
  $('services-error').textContent = '';
  if (state.services) renderServices();
  try {
    const data = await api('GET', '/services');
    state.services = data;
    if (state.view !== 'services') return;
    renderServices();
  } catch (e) {
    if (e.status !== 401) $('services-error').textContent = e.message;
  }
}

function renderServices() {
  const list = state.services.services || [];
  const writable = canSwitch();
  $('services-note').textContent = writable ? t('svc_can_switch') : t('svc_read_only');
  $('services-note').className = writable ? '' : 'note';
  const box = clear($('services-tables'));
  if (!list.length) { box.append(h('p', { class: 'muted' }, t('services_none'))); return; }
  const tenants = [...new Set(list.map((x) => x.tenant ?? ''))];
  for (const tenant of tenants) {
    const cols = ['col_name', 'col_provider', 'col_models', 'col_location', 'col_policy', 'col_kill'];
    if (writable) cols.push('col_action');
    const table = h('table', { class: 'data services', 'data-tenant': tenant },
      h('caption', {}, t('services_caption', tenant || '–')),
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(c))))),
      h('tbody', {}, list.filter((x) => (x.tenant ?? '') === tenant).map((svc) => {
        const kill = svc.kill_switch
          ? [h('span', { class: 'state state-off' }, h('span', { 'aria-hidden': 'true' }, '✕ '), t('svc_off')),
            svc.kill_switch_changed_at ? h('span', { class: 'since' }, t('svc_since', fmtDateTime(svc.kill_switch_changed_at, { seconds: false }))) : null]
          : h('span', { class: 'state state-on' }, t('svc_on'));
        const basis = svc.transfer_basis && TEXT[state.lang][`tb_${svc.transfer_basis}`] ? t(`tb_${svc.transfer_basis}`) : svc.transfer_basis;
        const location = [svc.location, basis].filter(Boolean).join(' · ');
        return h('tr', { 'data-service': svc.name },
          h('th', { scope: 'row' }, svc.name),
          h('td', {}, svc.provider || ''),
          h('td', {}, h('ul', { class: 'plain' }, (svc.models || []).map((m) => h('li', {}, h('code', { class: 'model' }, m))))),
          h('td', {}, location),
          h('td', {}, svc.enabled_in_policy ? t('svc_enabled') : t('svc_disabled')),
          h('td', {}, kill),
          writable ? h('td', {}, h('button', {
            type: 'button',
            class: svc.kill_switch ? 'secondary' : 'danger',
            'aria-label': `${svc.kill_switch ? t('svc_switch_on') : t('svc_switch_off')}: ${svc.name}`,
            onclick: (ev) => openKillDialog(svc, !svc.kill_switch, ev.currentTarget),
          }, svc.kill_switch ? t('svc_switch_on') : t('svc_switch_off'))) : null);
      })));
    box.append(h('div', { class: 'table-wrap' }, table));
  }
}

function openKillDialog(service, off, opener) {
  state.kill = { service, off, opener };
  fillKillDialog();
  $('kill-confirm').value = '';
  $('kill-reason').value = '';
  $('kill-error').textContent = '';
  $('kill-dialog').showModal();
  $('kill-confirm').focus();
}

function fillKillDialog() {
  const { service, off } = state.kill;
  $('kill-title').textContent = t(off ? 'kill_title_off' : 'kill_title_on', service.name);
  $('kill-desc').textContent = t(off ? 'kill_desc_off' : 'kill_desc_on');
  $('kill-confirm-label').textContent = t('kill_confirm', service.name);
  const submit = $('kill-submit');
  submit.textContent = off ? t('svc_switch_off') : t('svc_switch_on');
  submit.className = off ? 'danger' : '';
}

async function onKillSubmit(ev) {
  ev.preventDefault();
  if (!state.kill) return;
  const { service, off } = state.kill;
  const confirm = $('kill-confirm').value.trim();
  const reason = $('kill-reason').value.trim();
  const err = $('kill-error');
  err.textContent = '';
  if (!confirm) { err.textContent = t('kill_empty'); $('kill-confirm').focus(); return; }
  const submit = $('kill-submit');
  submit.disabled = true;
  try {
    const body = { off, confirm };
    if (reason) body.reason = reason;
    const updated = await api('PUT', `/services/${encodeURIComponent(service.name)}/kill-switch`, {
      query: { tenant: service.tenant }, body,
    });
    const list = state.services?.services || [];
    const i = list.findIndex((x) => x.name === service.name && x.tenant === service.tenant);
    if (i >= 0) list[i] = { ...list[i], ...updated };
    closeKillDialog();
    if (state.view === 'services') renderServices();
    announce(t(off ? 'kill_done_off' : 'kill_done_on', service.name));
    // back to the row's (new) button
    const row = document.querySelector(`#services-tables table[data-tenant="${CSS.escape(service.tenant ?? '')}"] tr[data-service="${CSS.escape(service.name)}"] button`);
    row?.focus();
  } catch (e) {
    if (e.status === 401) return;
    err.textContent = e.message;
    $('kill-confirm').focus();
    $('kill-confirm').select();
  } finally {
    submit.disabled = false;
  }
}

function closeKillDialog() {
  const dlg = $('kill-dialog');
  if (dlg.open) dlg.close();
}

// ---------------------------------------------------------------------------
// Shared by the later views

// A Figure ({value, suppressed}) as text, or a "–" with its explanation (title and for
// screen readers).
function k() { return state.overview?.k ?? 5; }

function figureNode(f, format = fmtNumber) {
  if (!f || f.suppressed || f.value === null || f.value === undefined) {
    return h('span', { class: 'suppressed', title: t('suppressed_title', k()) },
      h('span', { 'aria-hidden': 'true' }, '–'), h('span', { class: 'visually-hidden' }, t('suppressed_title', k())));
  }
  return format(f.value);
}
const isSuppressed = (f) => !f || f.suppressed || f.value === null || f.value === undefined;

function fmtEur(n) {
  return new Intl.NumberFormat(locale(), { style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}

function fmtPercent(n) {
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: n < 0.1 ? 1 : 0 }).format(n);
}

// Loads a view's data; shows errors in the view's alert; ignores answers for a view left.
async function loadView(view, path, { query, errorId, onData }) {
  const err = $(errorId);
  err.textContent = '';
  try {
    const data = await api('GET', path, { query });
    if (state.view !== view) return null;
    onData(data);
    return data;
  } catch (e) {
    if (e.status !== 401 && state.view === view) err.textContent = e.message;
    return null;
  }
}

function loadingInto(box) {
  if (!box.firstChild) box.append(h('p', { class: 'muted' }, t('loading')));
}

// ---------------------------------------------------------------------------
// Regeln

function openRules() {
  const box = $('rules-body');
  if (state.rules) renderRules(); else loadingInto(box);
  loadRules(state.rules?.shownDigest && !state.rules.inForce ? state.rules.shownDigest : undefined);
  if (state.diff) renderDiff();
}

async function loadRules(digest, { announceIt = false } = {}) {
  await loadView('rules', '/rules', {
    query: { digest }, errorId: 'rules-error',
    onData: (data) => {
      const inForce = (data.versions || []).find((v) => v.in_force);
      state.rules = { ...data, shownDigest: data.digest, inForce: !digest || data.digest === inForce?.digest };
      renderRules();
      if (announceIt) announce(`${ruleHeading()} – ${t('rules_count', (data.rules || []).length)}`);
    },
  });
}

function ruleHeading() {
  const r = state.rules;
  const v = (r.versions || []).find((x) => x.digest === r.digest);
  return v?.in_force ? t('rules_of_in_force', r.version || v.version) : t('rules_of', r.version || v?.version || r.digest.slice(0, 12));
}

function versionName(v) { return v ? v.version || v.digest?.slice(0, 12) : ''; }

function renderRules() {
  const r = state.rules;
  const versions = [...(r.versions || [])].sort((a, b) => String(b.first_loaded).localeCompare(String(a.first_loaded)));
  $('rules-period').textContent = r.period ? t('period', r.period) : '';

  // versions
  const vbox = clear($('rules-versions'));
  vbox.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', id: 'versions' },
    h('caption', {}, t('versions_caption')),
    h('thead', {}, h('tr', {}, ['col_version', 'col_loaded', 'col_state', 'col_action'].map((c) => h('th', { scope: 'col' }, t(c))))),
    h('tbody', {}, versions.map((v) => {
      const shown = v.digest === r.digest;
      return h('tr', { 'data-digest': v.digest, class: shown ? 'current' : null },
        h('th', { scope: 'row' }, versionName(v), ' ', h('code', { class: 'ids digest' }, v.digest.slice(0, 12))),
        h('td', {}, fmtDateTime(v.first_loaded, { seconds: false })),
        h('td', {}, v.in_force ? h('span', { class: 'badge badge-allowed' }, h('span', { 'aria-hidden': 'true', class: 'badge-sym' }, '✓'), ' ', t('in_force')) : t('not_in_force')),
        h('td', {}, shown ? h('span', { class: 'muted' }, `✓ ${t('shown')}`) : h('button', {
          type: 'button', class: 'secondary small-button', 'aria-label': t('show_rules_of', versionName(v)),
          onclick: () => loadRules(v.in_force ? undefined : v.digest, { announceIt: true }),
        }, t('show_rules'))));
    })))));

  // compare form
  const form = $('compare-form');
  const many = versions.length > 1;
  form.hidden = !many;
  $('compare-one').textContent = many ? '' : t('compare_one');
  // a person's choice stays while the list of versions is the same
  const same = form.dataset.versions === versions.map((v) => v.digest).join(' ');
  form.dataset.versions = versions.map((v) => v.digest).join(' ');
  for (const [id, pick] of [['compare-from', versions[1]], ['compare-to', versions[0]]]) {
    const sel = $(id);
    const keep = same ? sel.value : null;
    clear(sel);
    for (const v of versions) {
      sel.append(h('option', { value: v.digest }, `${versionName(v)}${v.in_force ? ` – ${t('in_force')}` : ''} (${fmtDateTime(v.first_loaded, { seconds: false })})`));
    }
    sel.value = versions.some((v) => v.digest === keep) ? keep : pick?.digest ?? '';
  }

  // rules
  const box = clear($('rules-body'));
  const rules = r.rules || [];
  box.append(h('h2', { id: 'rules-list-title' }, ruleHeading()));
  if (!rules.length) { box.append(h('p', { class: 'muted' }, t('rules_empty'))); return; }
  let anySuppressed = false;
  box.append(h('ul', { class: 'rule-list', id: 'rules', 'aria-labelledby': 'rules-list-title' }, rules.map((x) => {
    if (isSuppressed(x.requests)) anySuppressed = true;
    return h('li', { class: `rule rule-${x.effect}`, 'data-rule': x.id },
      h('div', { class: 'rule-head' },
        h('h3', {}, x.title || x.id),
        h('p', { class: 'rule-count' }, h('span', { class: 'rule-count-value' }, figureNode(x.requests)),
          h('span', { class: 'rule-count-label' }, r.period ? t('r_requests', r.period) : t('r_requests_short')))),
      h('dl', { class: 'meta' },
        h('dt', {}, t('r_id')), h('dd', {}, h('code', { class: 'ids' }, x.id), x.derived ? h('span', { class: 'tag' }, t('r_derived')) : null),
        h('dt', {}, t('r_effect')), h('dd', {}, effectLabel(x.effect)),
        x.category ? [h('dt', {}, t('r_category')), h('dd', {}, x.category)] : null,
        x.reference ? [h('dt', {}, t('r_reference')), h('dd', {}, x.reference)] : null,
        x.explanation ? [h('dt', {}, t('r_explanation')), h('dd', { class: 'explanation' }, x.explanation)] : null,
        x.in_words ? [h('dt', {}, t('r_in_words')), h('dd', { class: 'explanation in-words' }, x.in_words)] : null));
  })));
  if (anySuppressed) box.append(h('p', { class: 'muted small' }, t('k_note', k())));
}

async function onCompare(ev) {
  ev.preventDefault();
  const from = $('compare-from').value;
  const to = $('compare-to').value;
  const err = $('compare-error');
  err.textContent = '';
  if (!from || !to || from === to) { err.textContent = t('compare_same'); $('compare-from').focus(); return; }
  const button = $('compare-submit');
  button.disabled = true;
  $('diff-body').setAttribute('aria-busy', 'true');
  try {
    const data = await api('GET', '/rules/diff', { query: { from, to } });
    if (state.view !== 'rules') return;
    state.diff = data;
    renderDiff();
    const n = (data.rules || []).length + (data.services || []).length;
    announce(n === 1 ? t('diff_found_1') : n ? t('diff_found', n) : t('diff_none'));
  } catch (e) {
    if (e.status !== 401) err.textContent = e.message;
  } finally {
    button.disabled = false;
    $('diff-body').removeAttribute('aria-busy');
  }
}

// Word-level difference of two texts: [[op, text]] with op '=', '-' or '+'.
function wordDiff(a, b) {
  const x = a.split(/(\s+)/); const y = b.split(/(\s+)/);
  if (x.length * y.length > 250000) return [['-', a], ['+', b]];
  const n = x.length; const m = y.length;
  const L = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) {
    L[i][j] = x[i] === y[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  }
  const out = [];
  const push = (op, s2) => { if (out.length && out.at(-1)[0] === op) out.at(-1)[1] += s2; else out.push([op, s2]); };
  let i = 0; let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) { push('=', x[i]); i++; j++; } else if (L[i + 1][j] >= L[i][j + 1]) push('-', x[i++]); else push('+', y[j++]);
  }
  while (i < n) push('-', x[i++]);
  while (j < m) push('+', y[j++]);
  return out;
}

function diffMark(tag, text) {
  const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text);
  if (!core) return text;
  return [lead, h(tag, {}, h('span', { class: 'visually-hidden' }, `[${t(tag === 'del' ? 'del_mark' : 'ins_mark')} `), core, h('span', { class: 'visually-hidden' }, ']')), trail];
}

// The before and after cells of one change; in a changed text only the changed words are marked.
function diffCells(c) {
  const before = c.before ?? ''; const after = c.after ?? '';
  if (c.change === 'added') return [h('td', { class: 'muted' }, '–'), h('td', { class: 'diff-text' }, diffMark('ins', after))];
  if (c.change === 'removed') return [h('td', { class: 'diff-text' }, diffMark('del', before)), h('td', { class: 'muted' }, '–')];
  const parts = wordDiff(before, after);
  return [
    h('td', { class: 'diff-text' }, parts.filter(([op]) => op !== '+').map(([op, s2]) => (op === '-' ? diffMark('del', s2) : s2))),
    h('td', { class: 'diff-text' }, parts.filter(([op]) => op !== '-').map(([op, s2]) => (op === '+' ? diffMark('ins', s2) : s2))),
  ];
}

function changeBadge(change) {
  const sym = { added: '+', removed: '−', changed: '±' }[change] || '•';
  return h('span', { class: `badge change-${change}` }, h('span', { 'aria-hidden': 'true', class: 'badge-sym' }, sym), ' ', TEXT[state.lang][`ch_${change}`] ? t(`ch_${change}`) : change);
}

function renderDiff() {
  const d = state.diff;
  const box = clear($('diff-body'));
  if (!d) return;
  box.append(h('h3', { id: 'diff-title' }, t('diff_title', versionName(d.from), versionName(d.to))));
  const rules = d.rules || []; const services = d.services || [];
  if (!rules.length && !services.length) { box.append(h('p', { class: 'muted' }, t('diff_none'))); return; }
  box.append(h('p', { class: 'muted small' }, t('diff_legend')));
  const table = (caption, id, col, rows, key) => h('div', { class: 'table-wrap' }, h('table', { class: 'data diff', id },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, [col, 'col_change', 'col_before', 'col_after'].map((c) => h('th', { scope: 'col' }, t(c))))),
    h('tbody', {}, rows.map((c) => h('tr', { 'data-id': c[key], 'data-change': c.change },
      h('th', { scope: 'row' }, h('code', { class: 'ids' }, c[key])),
      h('td', {}, changeBadge(c.change)),
      diffCells(c))))));
  if (rules.length) box.append(table(t('diff_rules'), 'diff-rules', 'col_rule', rules, 'id'));
  if (services.length) box.append(table(t('diff_services'), 'diff-services', 'col_service', services, 'name'));
}

// ---------------------------------------------------------------------------
// Erkennungen

function openDetections() {
  if (state.detections) renderDetections(); else loadingInto($('detections-body'));
  loadView('detections', '/detections', { errorId: 'detections-error', onData: (d) => { state.detections = d; renderDetections(); } });
}

function renderDetections() {
  const d = state.detections;
  const box = clear($('detections-body'));
  $('detections-period').textContent = d.period ? t('period', d.period) : '';
  const types = d.types || [];
  if (!types.length) { box.append(h('p', { class: 'muted' }, t('det_none'))); return; }
  const val = (f) => (isSuppressed(f) ? null : f.value);
  const max = niceMax(Math.max(1, ...types.map((x) => val(x.items) ?? 0)));

  // horizontal bars: one row per type, the label left, the value right of the bar
  const rowH = 26; const L = 190; const R = 70; const W = 760; const T = 6;
  const H = T + types.length * rowH + 24;
  const iw = W - L - R;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart-svg hbar', role: 'img', 'aria-labelledby': 'det-svg-title det-svg-desc', preserveAspectRatio: 'xMinYMin meet' });
  svg.append(s('title', { id: 'det-svg-title' }, t('det_chart_title')), s('desc', { id: 'det-svg-desc' }, t('det_chart_desc', types.length, fmtNumber(max))));
  for (const v of [0, max / 2, max]) {
    if (!Number.isInteger(v)) continue;
    const x = L + (v / max) * iw;
    svg.append(s('line', { x1: x, x2: x, y1: T, y2: H - 20, class: 'grid' }), s('text', { x, y: H - 6, class: 'axis-label', 'text-anchor': 'middle' }, fmtNumber(v)));
  }
  types.forEach((x, i) => {
    const y = T + i * rowH;
    const v = val(x.items);
    const label = `${x.label || x.type}${x.special_category ? ' (Art. 9)' : ''}`;
    svg.append(s('text', { x: L - 8, y: y + rowH / 2 + 4, class: 'axis-label bar-label', 'text-anchor': 'end' }, label));
    if (v !== null) {
      const w = Math.max(v > 0 ? 2 : 0, (v / max) * iw);
      svg.append(s('rect', { x: L, y: y + 4, width: w, height: rowH - 8, class: x.special_category ? 'bar-special' : 'bar-requests' }));
      svg.append(s('text', { x: L + w + 6, y: y + rowH / 2 + 4, class: 'axis-label' }, fmtNumber(v)));
    } else {
      svg.append(s('text', { x: L + 6, y: y + rowH / 2 + 4, class: 'axis-label' }, '–'));
    }
  });
  svg.append(s('line', { x1: L, x2: L, y1: T, y2: H - 20, class: 'axis' }));

  let anySuppressed = false;
  const cell = (f) => { if (isSuppressed(f)) anySuppressed = true; return h('td', { class: 'num' }, figureNode(f)); };
  const table = h('table', { class: 'data', id: 'detections' },
    h('caption', {}, t('det_caption', d.period || '')),
    h('thead', {}, h('tr', {}, ['col_type', 'col_special', 'col_items', 'col_det_requests', 'col_answer_items']
      .map((c, i) => h('th', { scope: 'col', class: i >= 2 ? 'num' : null }, t(c))))),
    h('tbody', {}, types.map((x) => h('tr', { 'data-type': x.type },
      h('th', { scope: 'row' }, x.label || x.type, x.label && x.label !== x.type ? h('span', { class: 'muted small' }, ` (${x.type})`) : null),
      h('td', {}, x.special_category
        ? h('span', { class: 'badge badge-special' }, h('span', { 'aria-hidden': 'true', class: 'badge-sym' }, '⚠'), ' ', t('special_yes'))
        : t('special_no')),
      cell(x.items), cell(x.requests), cell(x.answer_items)))));
  box.append(svg, h('div', { class: 'table-wrap' }, table));
  if (anySuppressed) box.append(h('p', { class: 'muted small' }, t('k_note', k())));
}

// ---------------------------------------------------------------------------
// Prüfkette

function openAudit() {
  if (state.audit) renderAudit(); else loadingInto($('audit-body'));
  loadView('audit', '/audit-chain', { errorId: 'audit-error', onData: (d) => { state.audit = d; renderAudit(); } });
}

function renderAudit() {
  const a = state.audit;
  const box = clear($('audit-body'));
  const instances = a.instances || [];
  const dt = (v) => (v ? fmtDateTime(v, { seconds: false }) : '–');
  box.append(instances.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'chains' },
    h('caption', {}, t('audit_caption')),
    h('thead', {}, h('tr', {}, ['col_instance', 'col_records', 'col_newest_record', 'col_checkpoints', 'col_newest_checkpoint']
      .map((c) => h('th', { scope: 'col', class: c === 'col_records' || c === 'col_checkpoints' ? 'num' : null }, t(c))))),
    h('tbody', {}, instances.map((x) => h('tr', { 'data-instance': x.instance },
      h('th', { scope: 'row' }, h('code', { class: 'ids' }, x.instance)),
      h('td', { class: 'num' }, fmtNumber(x.records ?? 0)),
      h('td', {}, dt(x.newest_record)),
      h('td', { class: 'num' }, fmtNumber(x.checkpoints ?? 0)),
      h('td', {}, dt(x.newest_checkpoint)))))))
    : h('p', { class: 'muted' }, t('audit_none')));

  const v = a.last_verify;
  const verify = h('section', { 'aria-labelledby': 'verify-title' }, h('h2', { id: 'verify-title' }, t('verify_title')));
  if (!v) {
    verify.append(h('p', { class: 'warning', id: 'verify-never' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), t('verify_never')));
  } else {
    const ok = v.result === 'ok';
    const days = Math.floor((Date.now() - new Date(v.at).getTime()) / 86400000);
    if (days > 35) verify.append(h('p', { class: 'warning' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), t('verify_old', days)));
    verify.append(h('dl', { class: 'meta', id: 'verify' },
      h('dt', {}, t('v_at')), h('dd', {}, fmtDateTime(v.at)),
      h('dt', {}, t('v_actor')), h('dd', {}, v.actor || '–'),
      h('dt', {}, t('v_result')), h('dd', {}, ok
        ? h('span', { class: 'badge badge-allowed' }, h('span', { 'aria-hidden': 'true', class: 'badge-sym' }, '✓'), ' ', t('v_ok'))
        : h('span', { class: 'badge badge-blocked' }, h('span', { 'aria-hidden': 'true', class: 'badge-sym' }, '✕'), ' ', v.result || '–')),
      h('dt', {}, t('v_records')), h('dd', {}, v.records != null ? fmtNumber(v.records) : '–'),
      h('dt', {}, t('v_signatures')), h('dd', {}, v.signatures_checked ? t('yes') : t('no'))));
  }
  const ops = h('section', { 'aria-labelledby': 'ops-title' }, h('h2', { id: 'ops-title' }, t('ops_title')),
    h('dl', { class: 'meta', id: 'audit-ops' },
      h('dt', {}, t('o_retention')), h('dd', {}, fmtNumber(a.retention_runs ?? 0)),
      h('dt', {}, t('o_reident')), h('dd', {}, fmtNumber(a.reidentifications ?? 0)),
      h('dt', {}, t('o_spool')), h('dd', {}, fmtNumber(a.spool_pending ?? 0))));
  box.append(verify, ops);
}

// ---------------------------------------------------------------------------
// Register

// Labels of the register's sections and main fields; other keys are shown as they are.
const REG_LABELS = {
  identification: ['Kennung', 'Identification'],
  responsibility: ['Verantwortung', 'Responsibility'],
  purpose_and_process: ['Zweck und Entscheidungsprozess', 'Purpose and decision process'],
  legal: ['Rechtliches', 'Legal'],
  data_and_technology: ['Daten und Technik', 'Data and technology'],
  risk_and_oversight: ['Risiken und Aufsicht', 'Risk and oversight'],
  gateway_binding: ['Durchsetzung im Gateway', 'Enforcement in the gateway'],
  usage: ['Nutzung', 'Usage'],
  id: ['Kennung', 'ID'],
  name: ['Name', 'Name'],
  description_short: ['Kurzbeschreibung', 'Short description'],
  status: ['Status', 'Status'],
  begin_date: ['Beginn', 'Start date'],
  end_date: ['Ende', 'End date'],
  aiact_risk_class: ['Risikoklasse (KI-VO)', 'Risk class (AI Act)'],
  domain: ['Bereich', 'Domain'],
  organisation: ['Organisation', 'Organisation'],
  departments: ['Ämter', 'Departments'],
  senior_responsible_owner: ['Verantwortlich', 'Senior responsible owner'],
  contact: ['Kontakt', 'Contact'],
  provider: ['Anbieter', 'Provider'],
  providers: ['Anbieter', 'Providers'],
  contract_ref: ['Vertrag', 'Contract'],
  goal_and_impact: ['Ziel und Wirkung', 'Goal and impact'],
  scope: ['Umfang', 'Scope'],
  proportionality: ['Verhältnismäßigkeit', 'Proportionality'],
  human_intervention: ['Menschliche Kontrolle', 'Human intervention'],
  frequency_and_scale: ['Anfragen im Zeitraum', 'Requests in the period'],
  frequency_period: ['Zeitraum', 'Period'],
  affected_groups: ['Betroffene', 'Affected groups'],
  lawful_basis: ['Rechtsgrundlage', 'Lawful basis'],
  works_agreement: ['Dienstvereinbarung', 'Works agreement'],
  dpia: ['Datenschutz-Folgenabschätzung', 'DPIA'],
  objection_procedure: ['Beschwerdeweg', 'Objection procedure'],
  algorithm_type: ['Art des Verfahrens', 'Algorithm type'],
  models: ['Modelle', 'Models'],
  services: ['Dienste', 'Services'],
  location: ['Standort', 'Location'],
  transfer_basis: ['Grundlage der Übermittlung', 'Transfer basis'],
  personal_data: ['Personenbezogene Daten', 'Personal data'],
  data_storage_and_retention: ['Speicherung und Aufbewahrung', 'Storage and retention'],
  monitoring: ['Überwachung', 'Monitoring'],
  risks: ['Risiken', 'Risks'],
  mitigation: ['Gegenmaßnahme', 'Mitigation'],
  description: ['Beschreibung', 'Description'],
  human_oversight: ['Menschliche Aufsicht', 'Human oversight'],
  required_training: ['Erforderliche Schulung', 'Required training'],
  rollback: ['Abschaltung', 'Rollback'],
  policy_version: ['Richtlinie (Version)', 'Policy (version)'],
  requests: ['Anfragen', 'Requests'],
  cost_eur: ['Kosten', 'Cost'],
  period: ['Zeitraum', 'Period'],
  enabled: ['freigegeben', 'Enabled'],
  benefit: ['Nutzen', 'Benefit'],
  alternatives_considered: ['Geprüfte Alternativen', 'Alternatives considered'],
  human_review_rules: ['Regeln der menschlichen Prüfung', 'Human review rules'],
  provided_information: ['Ergebnis des Systems', 'Provided information'],
  fria: ['Grundrechte-Folgenabschätzung', 'FRIA'],
  art50_disclosure: ['Kennzeichnung (Art. 50 KI-VO)', 'Disclosure (Art. 50 AI Act)'],
  citizen_facing: ['für Bürgerinnen und Bürger', 'Citizen-facing'],
  human_review_required: ['Menschliche Prüfung verlangt', 'Human review required'],
  retention_months: ['Aufbewahrung (Monate)', 'Retention (months)'],
  purpose_id: ['Anwendungsfall (ID)', 'Use case (ID)'],
  service_id: ['Dienst (ID)', 'Service (ID)'],
  publication_category: ['Veröffentlichungskategorie', 'Publication category'],
  publication_date: ['Veröffentlicht am', 'Publication date'],
  last_change_date: ['Zuletzt geändert', 'Last change'],
  revision_note: ['Änderungsvermerk', 'Revision note'],
  standard_version: ['Standard', 'Standard version'],
  tags: ['Schlagworte', 'Tags'],
  website: ['Website', 'Website'],
  shared_with: ['Geteilt mit', 'Shared with'],
  incidents: ['Vorfälle', 'Incidents'],
  approved_data_classes: ['Freigegebene Datenklassen', 'Approved data classes'],
  no_training_on_inputs: ['Kein Training mit Eingaben', 'No training on inputs'],
  disabled_models: ['Gesperrte Modelle', 'Disabled models'],
  energy_wh_per_1k_tokens: ['Energie (Wh je 1.000 Token)', 'Energy (Wh per 1,000 tokens)'],
  energy_source: ['Quelle der Energieangabe', 'Source of the energy figure'],
  annex_iii_point: ['Anhang III (KI-VO)', 'Annex III (AI Act)'],
  lang: ['Sprache', 'Language'],
};
// Values of the register's status field.
const REG_STATUS = {
  in_use: ['in Betrieb', 'in use'],
  in_development: ['in Entwicklung', 'in development'],
  out_of_use: ['außer Betrieb', 'out of use'],
};
function regStatus(v) { const l = REG_STATUS[v]; return l ? l[state.lang === 'en' ? 1 : 0] : v; }

function regLabel(key) {
  const l = REG_LABELS[key];
  return l ? l[state.lang === 'en' ? 1 : 0] : key;
}

function regValue(v) {
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length)) return h('span', { class: 'muted' }, t('reg_empty'));
  if (typeof v === 'boolean') return v ? t('yes') : t('no');
  if (typeof v === 'number') return fmtNumber(v);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object' || x === null)) return v.map(String).join(', ');
    return h('ul', { class: 'reg-list' }, v.map((x) => h('li', {}, regValue(x))));
  }
  if (typeof v === 'object') return regFields(v, null, []);
  return String(v);
}

function regFields(obj, section, missing) {
  const dl = h('dl', { class: 'meta reg-fields' });
  for (const [key, v] of Object.entries(obj)) {
    const isMissing = section && missing.includes(`${section}.${key}`);
    dl.append(h('dt', { class: isMissing ? 'missing' : null }, regLabel(key)),
      h('dd', { class: isMissing ? 'missing' : null }, isMissing
        ? h('strong', {}, h('span', { 'aria-hidden': 'true' }, '⚠ '), t('reg_missing_field'))
        : key === 'status' && typeof v === 'string' ? regStatus(v) : regValue(v)));
  }
  return dl;
}

function openRegister() {
  if (state.register) renderRegister(); else loadingInto($('register-body'));
  loadView('register', '/register', { errorId: 'register-error', onData: (d) => { state.register = d; renderRegister(); } });
}

function renderRegister() {
  const entries = state.register.entries || [];
  const box = $('register-body');
  // keep what is open across reloads
  const open = new Set([...box.querySelectorAll('details[open]')].map((d) => d.dataset.id));
  clear(box);
  $('register-toggle').hidden = !entries.length;
  if (!entries.length) { box.append(h('p', { class: 'muted' }, t('register_none'))); return; }
  for (const kind of ['use_case', 'service', ...new Set(entries.map((e) => e.kind).filter((x) => x !== 'use_case' && x !== 'service'))]) {
    const list = entries.filter((e) => e.kind === kind);
    if (!list.length) continue;
    box.append(h('h2', {}, TEXT[state.lang][`kind_${kind}`] ? t(`kind_${kind}`) : kind, h('span', { class: 'muted count' }, ` (${list.length})`)));
    for (const e of list) {
      const id = e.identification?.id || e.identification?.name;
      const name = e.identification?.name || id || '';
      const missing = e.missing_required || [];
      const details = h('details', { class: `reg-entry${missing.length ? ' has-missing' : ''}`, 'data-id': id, 'data-name': name },
        h('summary', {},
          h('span', { class: 'reg-name' }, name),
          h('span', { class: 'reg-kind muted' }, ` · ${TEXT[state.lang][`kind_${e.kind}`] ? t(`kind_${e.kind}`) : e.kind}`),
          e.identification?.status ? h('span', { class: 'reg-kind muted' }, ` · ${regStatus(e.identification.status)}`) : null,
          missing.length
            ? h('span', { class: 'badge badge-blocked reg-flag' }, h('span', { 'aria-hidden': 'true', class: 'badge-sym' }, '⚠'), ' ', t('reg_missing_count', missing.length))
            : h('span', { class: 'badge badge-allowed reg-flag' }, h('span', { 'aria-hidden': 'true', class: 'badge-sym' }, '✓'), ' ', t('reg_complete'))));
      if (missing.length) {
        details.append(h('section', { class: 'reg-missing', 'aria-label': t('reg_missing') },
          h('h3', {}, h('span', { 'aria-hidden': 'true' }, '⚠ '), t('reg_missing')),
          h('ul', {}, missing.map((m) => {
            const [sec, key] = m.split('.');
            return h('li', {}, key ? `${regLabel(sec)}: ${regLabel(key)}` : regLabel(m), ' ', h('code', { class: 'ids muted' }, `(${m})`));
          }))));
      }
      for (const [sec, v] of Object.entries(e)) {
        if (sec === 'kind' || sec === 'missing_required') continue;
        details.append(h('section', { class: 'reg-section' }, h('h3', {}, regLabel(sec)),
          v && typeof v === 'object' && !Array.isArray(v) ? regFields(v, sec, missing) : h('p', {}, regValue(v))));
      }
      details.open = open.has(id);
      box.append(details);
    }
  }
  renderRegisterToggle();
}

function renderRegisterToggle() {
  const all = [...$('register-body').querySelectorAll('details')];
  const allOpen = all.length && all.every((d) => d.open);
  $('register-toggle').textContent = allOpen ? t('reg_collapse') : t('reg_expand');
  $('register-toggle').setAttribute('aria-expanded', String(Boolean(allOpen)));
}

// ---------------------------------------------------------------------------
// Ämter

function openDepartments() {
  if (state.departments) renderDepartments(); else loadingInto($('departments-body'));
  loadView('departments', '/departments', { errorId: 'departments-error', onData: (d) => { state.departments = d; renderDepartments(); } });
}

function renderDepartments() {
  const d = state.departments;
  const box = clear($('departments-body'));
  $('departments-period').textContent = d.period ? t('period', d.period) : '';
  const list = d.departments || [];
  if (!list.length) { box.append(h('p', { class: 'muted' }, t('dep_none'))); return; }
  let anySuppressed = false;
  const cell = (f, fmt) => { if (isSuppressed(f)) anySuppressed = true; return h('td', { class: 'num' }, figureNode(f, fmt)); };
  const share = (x) => {
    if (x.budget_eur === null || x.budget_eur === undefined || !(x.budget_eur > 0)) return h('td', { class: 'muted' }, t('no_budget'));
    if (isSuppressed(x.cost_eur)) { anySuppressed = true; return h('td', {}, figureNode(x.cost_eur)); }
    const p = x.cost_eur.value / x.budget_eur;
    const over = p > 1;
    const bar = s('svg', { viewBox: '0 0 100 12', class: 'share-bar', 'aria-hidden': 'true', focusable: 'false', preserveAspectRatio: 'none' },
      s('rect', { x: 0, y: 0, width: 100, height: 12, class: 'share-bg' }),
      s('rect', { x: 0, y: 0, width: Math.min(100, Math.max(p > 0 ? 1 : 0, p * 100)), height: 12, class: over ? 'share-over' : 'share-fill' }));
    return h('td', { class: `share${over ? ' over' : ''}` }, h('span', { class: 'share-text' }, fmtPercent(p)), bar,
      over ? h('span', { class: 'over-text' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), t('over_budget')) : null);
  };
  const table = h('table', { class: 'data', id: 'departments' },
    h('caption', {}, t('dep_caption', d.period || '')),
    h('thead', {}, h('tr', {}, ['col_department', 'col_requests', 'col_active_staff', 'col_cost', 'col_budget', 'col_share']
      .map((c, i) => h('th', { scope: 'col', class: i >= 1 && i <= 4 ? 'num' : null }, t(c))))),
    h('tbody', {}, list.map((x) => h('tr', { 'data-department': x.name },
      h('th', { scope: 'row' }, x.name),
      cell(x.requests), cell(x.active_staff), cell(x.cost_eur, fmtEur),
      h('td', { class: 'num' }, x.budget_eur != null ? fmtEur(x.budget_eur) : h('span', { class: 'muted' }, t('no_budget'))),
      share(x)))));
  box.append(h('div', { class: 'table-wrap' }, table));
  if (anySuppressed) box.append(h('p', { class: 'muted small' }, t('k_note', k())));
}

// ---------------------------------------------------------------------------
// Warnungen (also the badge in the navigation, refreshed with the overview's polling)

const SEVERITY = { critical: ['✕', 3], warning: ['⚠', 2], info: ['ℹ', 1] };

async function loadAlerts() {
  try {
    const data = await api('GET', '/alerts');
    state.alerts = data;
    renderAlertBadge();
    if (state.view === 'alerts') { $('alerts-error').textContent = ''; renderAlerts(); }
  } catch (e) {
    if (e.status !== 401 && state.view === 'alerts') $('alerts-error').textContent = e.message;
  }
}

function renderAlertBadge() {
  const list = state.alerts?.alerts || [];
  const badge = $('nav-alerts-count');
  const top = list.reduce((m, a) => Math.max(m, SEVERITY[a.severity]?.[1] ?? 0), 0);
  badge.hidden = !list.length;
  clear(badge).append(h('span', { 'aria-hidden': 'true' }, String(list.length)), h('span', { class: 'visually-hidden' }, `(${t('nav_alerts_count', list.length)})`));
  badge.className = `nav-badge sev-${['info', 'info', 'warning', 'critical'][top]}`;
}

function openAlerts() {
  if (state.alerts) renderAlerts(); else loadingInto($('alerts-body'));
  loadAlerts();
}

function renderAlerts() {
  const a = state.alerts;
  const box = clear($('alerts-body'));
  $('alerts-as-of').textContent = a.as_of ? t('alerts_as_of', fmtDateTime(a.as_of)) : '';
  const list = [...(a.alerts || [])].sort((x, y) => (SEVERITY[y.severity]?.[1] ?? 0) - (SEVERITY[x.severity]?.[1] ?? 0));
  if (!list.length) { box.append(h('p', { class: 'note', id: 'alerts-empty' }, h('span', { 'aria-hidden': 'true' }, '✓ '), t('alerts_none'))); return; }
  box.append(h('ul', { class: 'alerts', id: 'alerts', 'aria-label': t('alerts_caption', list.length) }, list.map((x) => h('li', { class: `alert sev-${x.severity}`, 'data-kind': x.kind },
    h('p', { class: 'alert-sev' }, h('span', { 'aria-hidden': 'true', class: 'alert-icon' }, SEVERITY[x.severity]?.[0] ?? '•'), ' ',
      TEXT[state.lang][`sev_${x.severity}`] ? t(`sev_${x.severity}`) : x.severity),
    h('p', { class: 'alert-msg' }, x.message || x.kind),
    x.since ? h('p', { class: 'alert-since muted small' }, t('svc_since', fmtDateTime(x.since, { seconds: false }))) : null))));
}

// ---------------------------------------------------------------------------
// Start

function wire() {
  $('lang-toggle').addEventListener('click', switchLang);
  $('logout').addEventListener('click', onLogout);
  $('login-form').addEventListener('submit', onLogin);
  $('skip-link').addEventListener('click', (ev) => {
    ev.preventDefault();
    $('main').focus();
  });
  for (const b of document.querySelectorAll('#window-switch button')) {
    b.addEventListener('click', () => {
      if (state.window === b.dataset.window) return;
      state.window = b.dataset.window;
      state.overview = null;
      renderWindowSwitch();
      loadOverview();
    });
  }
  $('filter-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    loadDecisions(readFilters());
  });
  $('filter-form').addEventListener('reset', (ev) => {
    // only a person's reset reloads (showLogin() resets the form too)
    if (state.view !== 'decisions' || !state.session) return;
    setTimeout(() => loadDecisions({}), 0);
  });
  $('decisions-more').addEventListener('click', () => {
    if (state.decisions?.next) loadDecisions(state.decisions.filters, { more: true });
  });
  $('kill-form').addEventListener('submit', onKillSubmit);
  $('kill-cancel').addEventListener('click', closeKillDialog);
  $('kill-dialog').addEventListener('close', () => {
    // the event comes a task later: the dialog may have been opened again meanwhile
    if ($('kill-dialog').open) return;
    const opener = state.kill?.opener;
    state.kill = null;
    if (opener?.isConnected) opener.focus();
  });
  window.addEventListener('hashchange', () => {
    if (location.hash === '#main') return;
    route({ focus: true });
  });
  document.addEventListener('visibilitychange', () => {
    if (document.hidden || !state.session) return;
    if (state.view === 'overview') loadOverview();
    loadAlerts();
  });
  $('compare-form').addEventListener('submit', onCompare);
  $('register-toggle').addEventListener('click', () => {
    const all = [...$('register-body').querySelectorAll('details')];
    const open = !all.every((d) => d.open);
    for (const d of all) d.open = open;
    renderRegisterToggle();
  });
  $('register-body').addEventListener('toggle', () => renderRegisterToggle(), true);
}

async function start() {
  applyLang();
  wire();
  try {
    state.session = await api('GET', '/session', { noAuthRedirect: true });
  } catch {
    state.session = null;
  }
  if (state.session) enterApp();
  else showLogin();
}

start();
