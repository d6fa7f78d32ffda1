/**
 * The dashboard's only stylesheet, served from /dashboard/assets/dashboard.css so the Content-Security-Policy can
 * forbid inline styles and scripts altogether. Bars are native <meter> elements: the browser colours them
 * green, amber or red from their low/high/optimum bounds, with no script and no inline style.
 */
export const DASHBOARD_CSS = `
:root{--fg:#1d232b;--muted:#5b6673;--line:#dfe3e8;--bg:#f6f7f9;--card:#fff;--red:#b42318;--red-bg:#fde8e7;--amber:#8a5a00;--amber-bg:#fff3d6;--green:#1c6b3a;--green-bg:#e3f5e9;--blue:#174ea6;--blue-bg:#e6eefb;--grey-bg:#eceff2}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header.top{display:flex;align-items:center;gap:1rem;padding:.7rem 1.2rem;background:#14181f;color:#fff}
header.top h1{font-size:1.05rem;margin:0;font-weight:600}
header.top h1 a{color:#fff;text-decoration:none}
header.top .who{margin-left:auto;color:#c9d1db;font-size:.9rem}
header.top form{margin:0}
header.top button,header.top a.button{background:transparent;border:1px solid #5b6673;color:#fff;border-radius:4px;padding:.2rem .6rem;font:inherit;cursor:pointer;text-decoration:none}
main{max-width:1280px;margin:0 auto;padding:1rem 1.2rem 3rem}
section{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:1rem;margin:0 0 1rem}
h2{font-size:1rem;margin:0 0 .6rem}
.notice{border-radius:6px;padding:.7rem 1rem;margin:0 0 1rem;border:1px solid}
.notice.ok{background:var(--green-bg);border-color:#a6d8b8;color:var(--green)}
.notice.warn{background:var(--amber-bg);border-color:#f0d08a;color:var(--amber)}
.notice.error{background:var(--red-bg);border-color:#f3b1ab;color:var(--red)}
.notice ul{margin:.3rem 0 0;padding-left:1.2rem}
.findings{display:flex;flex-wrap:wrap;gap:.5rem;margin:0;padding:0;list-style:none}
.findings a{display:block;min-width:9.5rem;padding:.5rem .7rem;border:1px solid var(--line);border-radius:6px;text-decoration:none;color:inherit}
.findings a:hover,.findings a.active{border-color:var(--blue)}
.findings .count{display:block;font-size:1.4rem;font-weight:600}
.findings .zero .count{color:var(--muted)}
.findings .hot .count{color:var(--red)}
.policy{margin:.7rem 0 0;color:var(--muted)}
form.filters{display:flex;flex-wrap:wrap;gap:.6rem .8rem;align-items:flex-end;margin-bottom:.4rem}
form.filters label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted);gap:.15rem}
input,select{font:inherit;padding:.25rem .4rem;border:1px solid #b9c1cb;border-radius:4px;background:#fff;color:var(--fg)}
input[type=number]{width:5.5rem}
input[type=search]{width:11rem}
button{font:inherit;padding:.3rem .8rem;border-radius:4px;border:1px solid #174ea6;background:#1a5fd0;color:#fff;cursor:pointer}
button.danger{background:var(--red);border-color:#8c1b12}
a.button{display:inline-block;padding:.3rem .8rem;border-radius:4px;border:1px solid #b9c1cb;color:var(--fg);text-decoration:none;background:#fff}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.78rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);white-space:nowrap}
th a{color:inherit}
td .id{display:block;font:12px ui-monospace,SFMono-Regular,Menlo,monospace;color:var(--muted)}
td.cue{min-width:10.5rem}
.cue small{display:block;color:var(--muted);font-size:.78rem;white-space:nowrap}
meter{width:8rem;height:.7rem;display:block;margin:.15rem 0}
.badge{display:inline-block;padding:0 .45rem;border-radius:999px;font-size:.75rem;line-height:1.35rem;white-space:nowrap;margin:0 .2rem .2rem 0;background:var(--grey-bg);color:var(--fg)}
.badge.red{background:var(--red-bg);color:var(--red)}
.badge.amber{background:var(--amber-bg);color:var(--amber)}
.badge.green{background:var(--green-bg);color:var(--green)}
.badge.blue{background:var(--blue-bg);color:var(--blue)}
.muted{color:var(--muted)}
.count-line{margin:.2rem 0 .6rem;color:var(--muted)}
dl.token{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0 0 1rem}
dl.token dt{color:var(--muted)}
dl.token dd{margin:0}
.login{max-width:28rem;margin:3rem auto}
.login label{display:block;margin:.6rem 0 .2rem}
.login input{width:100%}
.actions{display:flex;gap:.6rem;align-items:center;margin-top:1rem}
`;
