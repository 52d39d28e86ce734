import { describeServiceBoot } from '@postrade/testing';

describeServiceBoot('trade-capture', 13001);
