-- AlterEnum
ALTER TYPE "MessageStatus" ADD VALUE 'EXPIRED';
ALTER TYPE "MessageStatus" ADD VALUE 'SUPPRESSED';

-- AlterTable: marketing consent is opt-in, so every customer so far starts without it.
ALTER TABLE "Customer" ADD COLUMN     "marketingConsent" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "marketingConsentAt" TIMESTAMPTZ(3);

-- AlterTable: the template becomes a catalogue name; queued messages keep theirs (and the index).
ALTER TABLE "OutboxMessage" ADD COLUMN     "expiresAt" TIMESTAMPTZ(3),
ALTER COLUMN "template" TYPE TEXT USING "template"::text;

-- AlterTable: the tries of a message name its template the same way.
ALTER TABLE "MessageAttempt" ALTER COLUMN "template" TYPE TEXT USING "template"::text;

-- DropEnum
DROP TYPE "MessageTemplate";
