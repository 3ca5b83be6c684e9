// The sign-in bar's second-factor steps: the challenge after a staff password (an app code, a recovery
// code or a passkey), and the enrolment a session of a required role must finish first (the app's QR code,
// its first code, the recovery codes shown once; or a passkey).
import QRCode from 'qrcode';
import { useState } from 'react';

function Problem({ text }) {
  return text ? (
    <span className="ide-problem" role="alert">
      {text}
    </span>
  ) : null;
}

/** After a correct password: `onEnded(message)` when the challenge can no longer be completed. */
export function ChallengeForm({ session, challenge, methods, onEnded }) {
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  async function run(step) {
    setBusy(true);
    setProblem('');
    try {
      await step();
    } catch (error) {
      if (error.code === 'UNAUTHENTICATED') onEnded(error.message);
      else setProblem(error.message);
    } finally {
      setBusy(false);
    }
  }

  function submit(event) {
    event.preventDefault();
    const typed = code.trim();
    // Six digits are the app's code; anything else is taken for a recovery code.
    const proof = /^\d{6}$/.test(typed) ? { code: typed } : { recoveryCode: typed };
    void run(() => session.verifySecondFactor(challenge, proof));
  }

  return (
    <form className="ide-sign-in" onSubmit={submit} aria-label="Second factor" data-testid="second-factor">
      <span>Second factor:</span>
      {methods.includes('TOTP') ? (
        <>
          <input
            name="second-factor-code"
            placeholder="app code or recovery code"
            autoComplete="one-time-code"
            value={code}
            onChange={(event) => setCode(event.target.value)}
            required
          />
          <button type="submit" disabled={busy}>
            Verify
          </button>
        </>
      ) : null}
      {methods.includes('PASSKEY') ? (
        <button type="button" disabled={busy} onClick={() => void run(() => session.signInWithPasskey(challenge))}>
          Use a passkey
        </button>
      ) : null}
      <Problem text={problem} />
    </form>
  );
}

/** A session whose role needs a second factor it does not have yet. */
export function EnrolmentPanel({ session, user }) {
  const [step, setStep] = useState({ kind: 'choose' });
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  async function run(work) {
    setBusy(true);
    setProblem('');
    try {
      await work();
    } catch (error) {
      setProblem(error.message);
    } finally {
      setBusy(false);
    }
  }

  const beginApp = () =>
    run(async () => {
      const enrolment = await session.beginTotpEnrolment();
      const qrCode = await QRCode.toDataURL(enrolment.uri, { margin: 1, width: 160 });
      setStep({ kind: 'app', secret: enrolment.secret, qrCode });
    });

  const confirmApp = (event) => {
    event.preventDefault();
    void run(async () => setStep({ kind: 'codes', recoveryCodes: await session.confirmTotpEnrolment(code.trim()) }));
  };

  const registerPasskey = () => run(() => session.registerPasskey(`IDE passkey of ${user.name}`.slice(0, 60)));

  return (
    <section className="ide-enrol" data-testid="enrol-second-factor" aria-label="Second factor enrolment">
      <span>{user.name}: your role needs a second factor before anything else works.</span>
      {step.kind === 'choose' ? (
        <>
          <button type="button" disabled={busy} onClick={() => void beginApp()}>
            Set up an authenticator app
          </button>
          <button type="button" disabled={busy} onClick={() => void registerPasskey()}>
            Register a passkey
          </button>
        </>
      ) : null}
      {step.kind === 'app' ? (
        <form className="ide-sign-in" onSubmit={confirmApp}>
          <img src={step.qrCode} alt="QR code for the authenticator app" data-testid="totp-qr" width="160" height="160" />
          <span>
            or type the key: <code data-testid="totp-secret">{step.secret}</code>
          </span>
          <input
            name="totp-code"
            placeholder="first 6-digit code"
            autoComplete="one-time-code"
            value={code}
            onChange={(event) => setCode(event.target.value)}
            required
          />
          <button type="submit" disabled={busy}>
            Confirm
          </button>
        </form>
      ) : null}
      {step.kind === 'codes' ? (
        <>
          <span>Recovery codes, each usable once; they are not shown again:</span>
          <ol className="ide-recovery-codes" data-testid="recovery-codes">
            {step.recoveryCodes.map((one) => (
              <li key={one}>
                <code>{one}</code>
              </li>
            ))}
          </ol>
          <button type="button" onClick={() => session.finishEnrolment()}>
            I have saved them
          </button>
        </>
      ) : null}
      <Problem text={problem} />
    </section>
  );
}
