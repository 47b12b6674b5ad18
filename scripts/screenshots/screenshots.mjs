// Drives the running demo (./run.sh) with Debian's Chromium and writes the README's screenshots:
// the phone consent page, the console's Protocol tab and an Activity detail page.
import { chromium } from "playwright-core";
import { mkdir } from "node:fs/promises";

const base = (process.env.CIBA_URL ?? "http://127.0.0.1:5080").replace(/\/$/, "");
const out = process.argv[2] ?? "docs/images";
const basic = (id, secret) => "Basic " + Buffer.from(`${id}:${secret}`).toString("base64");

async function post(path, client, form) {
  const response = await fetch(base + path, {
    method: "POST",
    headers: { Authorization: basic(...client), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: await response.json() };
}

async function signIn(page, login, password) {
  await page.getByLabel("Username or email").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

await mkdir(out, { recursive: true });
const kiosk = ["demo-kiosk", "demo-kiosk-secret"];
const ack = await post("/t/demo/oauth2/ciba", kiosk, { scope: "openid profile email", login_hint: "alice", binding_message: "Code 4711" });
if (ack.status !== 200) throw new Error(`The backchannel request answered ${ack.status}: ${JSON.stringify(ack.body)}`);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const consent = await phone.newPage();
  await consent.goto(ack.body.auth_url);
  await signIn(consent, "alice", "Alice-Passw0rd!");
  await consent.getByRole("button", { name: "Approve" }).waitFor();
  await consent.screenshot({ path: `${out}/phone-consent.png`, fullPage: true });
  await consent.getByRole("button", { name: "Approve" }).click();
  await consent.waitForURL("**/done?outcome=approved");
  await new Promise(resolve => setTimeout(resolve, (ack.body.interval ?? 2) * 1000 + 200));
  await post("/t/demo/oauth2/token", kiosk, { grant_type: "urn:openid:params:grant-type:ciba", auth_req_id: ack.body.auth_req_id });

  const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const console = await laptop.newPage();
  await console.goto(`${base}/t/demo/console`);
  await signIn(console, "admin", "Admin-Passw0rd!");
  await console.waitForURL("**/console/applications");
  await console.getByRole("link", { name: "Demo TV", exact: true }).click();
  await console.getByRole("link", { name: "Protocol", exact: true }).click();
  await console.waitForURL("**/protocol");
  await console.screenshot({ path: `${out}/console-protocol.png`, fullPage: true });

  await console.goto(`${base}/t/demo/console/activity?status=Redeemed`);
  await console.locator("table tbody tr").first().getByRole("link").click();
  await console.locator(".timeline").waitFor();
  await console.screenshot({ path: `${out}/activity-detail.png`, fullPage: true });
} finally {
  await browser.close();
}
process.stdout.write(`Screenshots written to ${out}: phone-consent.png, console-protocol.png, activity-detail.png\n`);
