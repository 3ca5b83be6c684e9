-- CreateTable
CREATE TABLE "ImportRun" (
    "id" UUID NOT NULL,
    "exportDigest" TEXT NOT NULL,
    "asOf" TIMESTAMPTZ(3) NOT NULL,
    "counts" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ImportRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ImportRun_exportDigest_idx" ON "ImportRun"("exportDigest");
