#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Build script of E2EDeploy. Runs on Linux, macOS and Windows through the local tool manifest:
        dotnet tool restore
        dotnet pwsh ./build.ps1 [Restore|Build|Test|Bench|Train|Export|Validate|Pipeline|Pack ...] [-Configuration Release]
.DESCRIPTION
    Restore  restores NuGet packages and local tools.
    Build    builds the solution (warnings are errors).
    Test     runs every test project: dotnet test E2EDeploy.sln.
    Bench    times the full benchmark sweep (e2e bench aod, 8 SNRs x 20,000 trials) three times and
             prints the median wall time; then runs the BenchmarkDotNet project tests/E2EDeploy.Inference.Benchmarks
             (runtime vs bare ONNX Runtime, deployed vs ML AoD estimator) on H = 256 models that it makes with
             e2e-train (1 training step, then export) when BenchmarkDotNet.Artifacts/models lacks them.
    Train    trains the quick AoD autoencoder at 20 dB into runs/aod-20db-none (e2e-train train).
    Export   exports runs/aod-20db-none into models/ as a new version of aod-20db-none (e2e-train export).
    Validate validates the newest aod-20db-none into reports/aod-20db-none (e2e validate).
    Pipeline the main job: e2e-train pipeline (train, export and validate both autoencoders, with reports).
    Pack     packs the libraries E2EDeploy.Shared and E2EDeploy.Inference into artifacts/packages.
    With no target: Build, then Test.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0, ValueFromRemainingArguments = $true)]
    [ValidateSet('Restore', 'Build', 'Test', 'Bench', 'Train', 'Export', 'Validate', 'Pipeline', 'Pack')]
    [string[]] $Targets = @('Build', 'Test'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$solution = Join-Path $root 'E2EDeploy.sln'

function Invoke-Step([string] $name, [scriptblock] $action) {
    Write-Host "==> $name" -ForegroundColor Cyan
    & $action
    if ($LASTEXITCODE -ne 0) { throw "$name failed with exit code $LASTEXITCODE." }
}

foreach ($target in $Targets) {
    switch ($target) {
        'Restore' {
            Invoke-Step 'dotnet tool restore' { dotnet tool restore }
            Invoke-Step 'dotnet restore' { dotnet restore $solution }
        }
        'Build' {
            Invoke-Step "dotnet build ($Configuration)" { dotnet build $solution -c $Configuration --nologo }
        }
        'Test' {
            Invoke-Step "dotnet test ($Configuration)" { dotnet test $solution -c $Configuration --nologo }
        }
        'Train' {
            Invoke-Step 'e2e-train train (quick, AoD, 20 dB)' {
                dotnet run --project (Join-Path $root 'orchestration/E2EDeploy.Pipeline') -c $Configuration -- train --task aod --snr 20 --impairment none --profile quick --out (Join-Path $root 'runs/aod-20db-none')
            }
        }
        'Export' {
            Invoke-Step 'e2e-train export' {
                dotnet run --project (Join-Path $root 'orchestration/E2EDeploy.Pipeline') -c $Configuration -- export --run (Join-Path $root 'runs/aod-20db-none') --family aod-20db-none --registry (Join-Path $root 'runs/models')
            }
        }
        'Validate' {
            Invoke-Step 'e2e validate' {
                dotnet run --project (Join-Path $root 'inference/E2EDeploy.Cli') -c $Configuration -- validate --family aod-20db-none --registry (Join-Path $root 'runs/models') --out (Join-Path $root 'reports/aod-20db-none')
            }
        }
        'Pipeline' {
            Invoke-Step 'e2e-train pipeline' {
                dotnet run --project (Join-Path $root 'orchestration/E2EDeploy.Pipeline') -c $Configuration -- pipeline --out (Join-Path $root 'pipeline')
            }
        }
        'Pack' {
            Invoke-Step 'dotnet pack' { dotnet pack $solution -c $Configuration --nologo -o (Join-Path $root 'artifacts/packages') }
        }
        'Bench' {
            $cli = Join-Path $root 'inference/E2EDeploy.Cli'
            Invoke-Step 'build e2e (Release)' { dotnet build $cli -c Release --nologo -v quiet }
            $dll = Join-Path $cli 'bin/Release/net10.0/e2e.dll'
            $times = @()
            foreach ($run in 1..3) {
                $watch = [System.Diagnostics.Stopwatch]::StartNew()
                $json = dotnet $dll bench aod --umin 40 --umax 60 --snr=-5:5:30 --trials 20000 --seed 1 --json 2>$null
                if ($LASTEXITCODE -ne 0) { throw "e2e bench aod failed with exit code $LASTEXITCODE." }
                $watch.Stop()
                $times += $watch.Elapsed.TotalSeconds
                Write-Host ("run {0}: {1:0.00} s" -f $run, $watch.Elapsed.TotalSeconds)
            }
            $median = ($times | Sort-Object)[1]
            Write-Host ("AoD sweep, 8 SNRs x 20,000 trials, {0} cores: median {1:0.00} s over 3 runs" -f [Environment]::ProcessorCount, $median) -ForegroundColor Green
            Write-Host $json

            $registry = Join-Path $root 'BenchmarkDotNet.Artifacts/models'
            $train = Join-Path $root 'orchestration/E2EDeploy.Pipeline'
            foreach ($task in 'aod', 'position') {
                if (-not (Test-Path (Join-Path $registry "bench-$task/v1/manifest.json"))) {
                    $run = Join-Path $root "BenchmarkDotNet.Artifacts/runs/bench-$task"
                    if (Test-Path $run) { Remove-Item -Recurse -Force $run }
                    Invoke-Step "H = 256 $task model for the benchmarks" {
                        dotnet run --project $train -c Release -- train --task $task --steps 1 --batch 64 --validation-size 64 --eval-every 1 --out $run
                        if ($LASTEXITCODE -eq 0) { dotnet run --project $train -c Release -- export --run $run --family "bench-$task" --version v1 --registry $registry }
                    }
                }
            }

            $env:E2E_BENCH_REGISTRY = $registry
            Invoke-Step 'BenchmarkDotNet: tests/E2EDeploy.Inference.Benchmarks' {
                dotnet run -c Release --project (Join-Path $root 'tests/E2EDeploy.Inference.Benchmarks') -- --filter '*'
            }
        }
    }
}
