import { Injectable } from '@nestjs/common';

/** The time now, injectable so that tests move it (lockouts, retention) instead of sleeping. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
